# optbench_write_sdk_hash(HEADER_DIR OUTPUT_DIR) writes OUTPUT_DIR/optbench/sdk/sdk_hash.hpp,
# whose OPTBENCH_SDK_HASH (the first 16 hex digits of the SHA-256 of the headers' text) goes into
# every plugin's fingerprint. Editing, adding or removing a header re-runs CMake at the next
# build; without that a plugin built after an edit would carry the old hash, and the host would
# load it although its layout no longer matches.
function(optbench_write_sdk_hash header_dir output_dir)
  file(GLOB headers CONFIGURE_DEPENDS ${header_dir}/*.hpp)
  list(SORT headers)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${headers})
  set(text "")
  foreach(header ${headers})
    file(READ ${header} header_text)
    string(APPEND text "${header_text}")
  endforeach()
  string(SHA256 sha "${text}")
  string(SUBSTRING ${sha} 0 16 OPTBENCH_SDK_HASH)
  configure_file(${CMAKE_CURRENT_FUNCTION_LIST_DIR}/sdk_hash.hpp.in
                 ${output_dir}/optbench/sdk/sdk_hash.hpp @ONLY)
endfunction()
