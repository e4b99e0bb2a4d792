# optbench_add_plugin(NAME SOURCES file.cpp... [TESTS test.cpp...] [LIBRARIES target...]
#                     [FOLDER folder])
#
# Builds the plugin library NAME.so with hidden visibility into the host's plugin folder
# (in-tree) or the current binary folder (out-of-tree), and installs it where the host
# searches. FOLDER (default plugins) names another folder under lib/optbench, e.g.
# check-plugins for the problems only `optbench check` loads. TESTS (in-tree only) are doctest files compiled together with SOURCES, so they can
# use the plugin's classes directly as well as the host through optbench_testing.
function(optbench_add_plugin name)
  cmake_parse_arguments(ARG "" "FOLDER" "SOURCES;TESTS;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "optbench_add_plugin(${name}): SOURCES is required")
  endif()
  set(target optbench_plugin_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE optbench::sdk ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${name}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  # GCC makes inline variables process-wide "unique" symbols even under hidden visibility, so
  # a plugin's copies of the SDK's tables would be bound to another loaded library's.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -fno-gnu-unique)
  endif()
  # Wall times go into the tables, so a plugin is built optimised unless its project chose a
  # build type (CMake's default, none, compiles without optimisation: 4 to 10 times slower).
  get_property(multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  if(NOT multi_config AND NOT CMAKE_BUILD_TYPE)
    target_compile_options(${target} PRIVATE -O2)
    target_compile_definitions(${target} PRIVATE NDEBUG)
  endif()
  if(NOT ARG_FOLDER)
    set(ARG_FOLDER plugins)
  endif()
  if(DEFINED OPTBENCH_PLUGIN_OUTPUT_DIRECTORY)
    get_filename_component(plugin_folders ${OPTBENCH_PLUGIN_OUTPUT_DIRECTORY} DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${plugin_folders}/${ARG_FOLDER})
  endif()
  install(TARGETS ${target} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/optbench/${ARG_FOLDER})

  if(ARG_TESTS AND TARGET optbench_testing)
    set(test_target test_plugin_${name})
    add_executable(${test_target} ${ARG_TESTS} ${ARG_SOURCES})
    target_link_libraries(${test_target} PRIVATE optbench_testing ${ARG_LIBRARIES})
    target_include_directories(${test_target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    add_dependencies(${test_target} optbench_plugins optbench optbench_test_plugins)
    add_test(NAME plugin_${name} COMMAND ${test_target})
  endif()
  if(TARGET optbench_plugins)
    add_dependencies(optbench_plugins ${target})
  endif()
endfunction()

# Adds every sub-folder of the current source folder that has a CMakeLists.txt, so a new
# plugin is one new folder and nothing else is edited.
function(optbench_add_plugin_folders)
  file(GLOB children LIST_DIRECTORIES true CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT children)
  foreach(child ${children})
    if(IS_DIRECTORY ${child} AND EXISTS ${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
