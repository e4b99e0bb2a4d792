// One verdict of `optbench check`, for optimizers and problems alike.
#pragma once

#include <string>

namespace optbench::host {

struct CheckOutcome {
    std::string check;   // what was checked, e.g. "sparse moves equal full evaluations"
    bool passed = false;
    std::string detail;  // the numbers behind the verdict
};

}  // namespace optbench::host
