// Numerical conventions shared by the generators and the functions.
#pragma once

#include <cmath>

namespace bbob {

inline constexpr double pi = 3.14159265358979323846;
inline constexpr double two_pi = 2 * pi;

// COCO rounds with floor(v + 0.5): neither std::round nor banker's rounding (they differ on
// negative halves).
inline double round_half_up(double v) { return std::floor(v + 0.5); }

}  // namespace bbob
