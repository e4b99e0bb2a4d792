# Script mode (cmake -DSOURCE_DIR=... -DOUTPUT=... -P git_commit.cmake): writes OUTPUT, a C++
# file defining optbench::host::build_commit from the git state of SOURCE_DIR. The build runs it
# every time, because a commit does not re-run CMake's configure step; OUTPUT is rewritten only
# when its text changes, so a build without a new commit recompiles nothing.
cmake_minimum_required(VERSION 3.22)

foreach(required SOURCE_DIR OUTPUT)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "git_commit.cmake: -D${required}=... is required")
  endif()
endforeach()

set(commit unknown)
execute_process(COMMAND git rev-parse --show-toplevel WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE toplevel OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
file(REAL_PATH "${SOURCE_DIR}" source_dir)
if(NOT failed AND toplevel)
  file(REAL_PATH "${toplevel}" toplevel)
endif()
# Only a checkout of the source tree itself names its commit, not a repository it was copied into.
if(NOT failed AND toplevel STREQUAL source_dir)
  execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
    OUTPUT_VARIABLE head OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
  if(NOT failed AND head)
    set(commit ${head})
    # results/ is data that running campaigns rewrite, not code of the build.
    execute_process(COMMAND git status --porcelain --untracked-files=no -- . ":(exclude)results"
      WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE changes ERROR_QUIET)
    if(changes)
      string(APPEND commit -dirty)
    endif()
  endif()
endif()

file(CONFIGURE OUTPUT ${OUTPUT} @ONLY CONTENT [=[
// Generated at build time by framework/cmake/git_commit.cmake; do not edit.
#include "results/provenance.hpp"

namespace optbench::host {
const char* const build_commit = "@commit@";
}
]=])
