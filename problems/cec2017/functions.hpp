// The CEC 2017 bound-constrained functions F1, F3..F30 as the competition's C code computes
// them (cec17_test_func.c), including where it departs from the technical report:
//  - F6 (Schaffer F7) reads the shifted point before rotation, so its rotation has no effect;
//  - F8 (non-continuous Rastrigin) rounds a stale buffer that is then overwritten, so it is
//    the shifted and rotated Rastrigin of F5 with F8's data;
//  - F9 (Levy) takes sin(pi w + 1) and is 100 x 9 + a positive constant at its shift vector;
//  - inside hybrids F14 and F20 the Schaffer F7 piece reads the first coordinates of the
//    permuted vector rather than its own slice;
//  - inside hybrid F13 the Lunacek bi-Rastrigin piece flips signs by the first coordinates
//    of the function's shift vector.
// Every sum runs in the reference's order (the project builds with -ffp-contract=off), so
// values agree with the reference bit for bit on the same libm.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "data.hpp"

namespace cec2017 {

inline constexpr int function_count = 30;

// The dimensions the competition's data defines for a function (empty for F2, withdrawn).
std::vector<std::size_t> dimensions(int function);

// Throws std::invalid_argument with one line when the function does not exist, is F2, or has
// no data at that dimension (naming the allowed ones).
void check_instance(int function, std::size_t dimension);

// Shift vectors and rotations per function: 1 for F1-F20; 3 to 6 for the compositions.
std::size_t components(int function);
// Hybrids (F11-F20) and hybrid compositions (F29, F30) permute coordinates.
bool uses_shuffle(int function);

// Dense y = M x with M row-major as in the data files, stored as its transpose (column by
// column, padded to a multiple of 4 rows) so that rows are accumulated several at a time while
// each one keeps the reference's order: y_i = ((0 + M_i0 x_0) + M_i1 x_1) + ...
class Rotation {
public:
    Rotation() = default;
    Rotation(const double* row_major, std::size_t n);
    void apply(const double* x, double* y) const;
    std::size_t size() const { return n_; }

private:
    std::size_t n_ = 0;
    std::size_t ld_ = 0;  // padded row count: a multiple of 4
    std::vector<double> columns_;
};

class Function {
public:
    // data as load() returns it for this function and dimension (check_instance passed).
    Function(int function, Data data);
    ~Function();
    Function(Function&&) noexcept;
    Function& operator=(Function&&) noexcept;

    // f(x) with x of dimension() values; allocates nothing.
    double evaluate(std::span<const double> x);

    int number() const { return number_; }
    std::size_t dimension() const { return dimension_; }
    // The competition's f* = 100 x function.
    double optimum_value() const { return 100.0 * number_; }
    // The first shift vector: the optimum of the report's definition.
    std::span<const double> shift() const;
    // Whether f(shift()) is exactly optimum_value() (not for F9, nor F10 at D = 50 and 100).
    bool optimum_at_shift() const;

private:
    struct Impl;
    int number_;
    std::size_t dimension_;
    std::unique_ptr<Impl> impl_;
};

// check_instance, then the data from the archive, then the function.
Function make_function(int function, std::size_t dimension,
                       const std::filesystem::path& archive);

}  // namespace cec2017
