// The `cec2017` problem library: the CEC 2017 single-objective bound-constrained suite
// (F1, F3..F30), bit-compatible with the competition's C code. The numerics are in
// functions.cpp, the data archive in data.cpp; this file is only the SDK-facing class.
#include <algorithm>
#include <cstddef>
#include <span>
#include <string>

#include "data.hpp"
#include "functions.hpp"
#include "optbench/sdk/sdk.hpp"

namespace cec2017 {

using namespace optbench;

class Cec2017 final : public sdk::Problem {
public:
    static constexpr const char* name = "cec2017";
    static constexpr const char* description =
        "CEC 2017 bound-constrained suite F1, F3-F30 (function=1..30, F2 withdrawn), "
        "bit-compatible with the competition's code; bounds [-100,100]^D, f* = 100 x function";
    // `optbench describe` appends each range to its doc.
    static constexpr abi::ParamSpec params[] = {
        sdk::integer("function", "1",
                     "F1 bent cigar, F3 Zakharov, F4-F10 basic, F11-F20 hybrid, F21-F30 "
                     "composition (F2 was withdrawn by the organisers)",
                     1, function_count),
        sdk::integer("dim", "10",
                     "10, 30, 50 or 100; also 2 and 20 where the competition's data has them "
                     "(2: F1-F10, F21-F28; 20: F1-F10, F20-F28)",
                     2, 100),
    };

    // The competition defines one instance per function and dimension.
    static constexpr const char* suite = "cec2017";
    static constexpr const char* function_parameter = "function";
    static constexpr std::uint32_t suite_formats = abi::cec_format;

    explicit Cec2017(const sdk::Params& p)
        : Cec2017(static_cast<int>(p.integer("function")),
                  static_cast<std::size_t>(p.integer("dim"))) {}

    double value(std::span<const double> x) override { return function_.evaluate(x); }

    std::optional<double> optimum_value() const override { return function_.optimum_value(); }
    // The shift vector, where it evaluates to exactly f* (see Function::optimum_at_shift).
    bool optimum_point(std::span<double> out) const override {
        if (!function_.optimum_at_shift()) return false;
        const auto shift = function_.shift();
        std::copy(shift.begin(), shift.end(), out.begin());
        return true;
    }

private:
    // The instance is checked before the archive is opened, so a bad function or dim is
    // reported as such even without the data.
    Cec2017(int function, std::size_t dim)
        : sdk::Problem((check_instance(function, dim), dim), {-100.0}, {100.0}),
          function_(make_function(function, dim, archive_path())) {}

    Function function_;
};

}  // namespace cec2017

OPTBENCH_PLUGIN("cec2017", "1.0.0", cec2017::Cec2017)
