// The 24 noiseless BBOB functions as COCO's bbob suite defines them, bit for bit. The rules
// (generators, seeds, operation order) are in testdata/SPEC.md; sections are cited as "SPEC 6".
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace bbob {

inline constexpr int function_count = 24;
inline constexpr std::size_t smallest_dimension = 2;
// The legacy generator builds rotations only for D*D < 2000.
inline constexpr std::size_t largest_dimension = 44;
// Keeps every derived seed (at most 24 + 10000*instance + 1000000) below 2^31 - 1.
inline constexpr std::int64_t largest_instance = 214648;

// One instance of one function: all instance data (optimum, matrices, peaks) is built by the
// constructor; evaluate allocates nothing.
class Function {
public:
    virtual ~Function() = default;
    Function(const Function&) = delete;
    Function& operator=(const Function&) = delete;

    std::size_t dimension() const { return x_opt_.size(); }
    // COCO's best_parameter and best_value.
    std::span<const double> optimum_point() const { return x_opt_; }
    double optimum_value() const { return f_opt_; }

    // f(x) for finite x of the instance's dimension (COCO's treatment of NaN and infinite
    // coordinates is the caller's job).
    virtual double evaluate(std::span<const double> x) = 0;

protected:
    explicit Function(std::size_t dimension) : x_opt_(dimension) {}
    std::vector<double> x_opt_;
    double f_opt_ = 0;
};

// Throws std::invalid_argument outside function 1..24, instance 1..largest_instance,
// dimension smallest_dimension..largest_dimension.
std::unique_ptr<Function> make_function(int function, std::int64_t instance, std::size_t dimension);

}  // namespace bbob
