// The `bbob` problem library: COCO's 24 noiseless BBOB functions, bit-compatible with COCO.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "functions.hpp"
#include "optbench/sdk/sdk.hpp"

namespace bbob {

using namespace optbench;

class Bbob final : public sdk::Problem {
public:
    static constexpr const char* name = "bbob";
    static constexpr const char* description =
        "COCO's noiseless BBOB functions f1-f24 (function=1..24), bit-compatible; bounds [-5,5]^D, "
        "start at the origin";
    // `optbench describe` appends each range to its doc.
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("function", "1", "BBOB function (f1 sphere ... f24 Lunacek bi-Rastrigin)", 1,
                     function_count),
        sdk::integer("instance", "1",
                     "COCO instance: seeds x_opt, f_opt and rotations (the cap keeps every legacy "
                     "seed below 2^31-1)",
                     1, static_cast<double>(largest_instance)),
        sdk::integer("dim", "10",
                     "number of variables (COCO's legacy generator builds rotations only for "
                     "D*D < 2000)",
                     static_cast<double>(smallest_dimension),
                     static_cast<double>(largest_dimension)),
    };

    static constexpr const char* suite = "bbob";
    static constexpr const char* function_parameter = "function";
    static constexpr const char* instance_parameter = "instance";
    static constexpr std::uint32_t suite_formats = abi::coco_format;

    explicit Bbob(const sdk::Params& p)
        : sdk::Problem(static_cast<std::size_t>(p.integer("dim")), {-5.0}, {5.0}),
          function_(make_function(static_cast<int>(p.integer("function")), p.integer("instance"),
                                  static_cast<std::size_t>(p.integer("dim")))) {}

    // As coco_evaluate_function: an infinite coordinate gives |x_i| (the first one found), and
    // otherwise a NaN coordinate gives NaN, without evaluating the function.
    double value(std::span<const double> x) override {
        for (double v : x)
            if (std::isinf(v)) return std::fabs(v);
        for (double v : x)
            if (std::isnan(v)) return std::numeric_limits<double>::quiet_NaN();
        return function_->evaluate(x);
    }

    std::optional<double> optimum_value() const override { return function_->optimum_value(); }
    bool optimum_point(std::span<double> out) const override {
        const auto x_opt = function_->optimum_point();
        std::copy(x_opt.begin(), x_opt.end(), out.begin());
        return true;
    }

    // COCO's default initial solution: the centre of the box.
    void initial_point(std::span<double> out) const override {
        std::fill(out.begin(), out.end(), 0.0);
    }

private:
    std::unique_ptr<Function> function_;
};

}  // namespace bbob

OPTBENCH_PLUGIN("bbob", "1.0.0", bbob::Bbob)
