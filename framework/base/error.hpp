#pragma once

#include <stdexcept>

namespace optbench::host {

// A user-facing error: its message is one line that names the bad input and what was
// expected. The CLI prints it and exits non-zero.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace optbench::host
