#include "cli/options.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace optbench::host {

namespace po = boost::program_options;

namespace {

[[noreturn]] void reject_option_value(const std::string& value, std::string_view expected) {
    throw po::error_with_option_name(
        fmt::format("the argument ('{}') for option '%canonical_option%' is invalid: expected {}", value,
                    expected));
}

// Digits only: no sign, no fraction, no exponent, and within the range of std::uint64_t.
std::uint64_t parse_whole_number(const std::string& text, const char* expected) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range)
        reject_option_value(text,
                            fmt::format("{} and at most {}", expected, std::numeric_limits<std::uint64_t>::max()));
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) reject_option_value(text, expected);
    return value;
}

}  // namespace

void require_out_folder(const std::string& out) {
    if (out.empty()) throw Error("--out is empty (an unset shell variable?): expected a folder path");
}

void warn_load_errors(const Registry& registry) {
    for (const std::string& e : registry.load_errors()) fmt::print(stderr, "warning: skipped {}\n", e);
}

void validate(boost::any& out, const std::vector<std::string>& values, Count*, int) {
    const std::string& text = po::validators::get_single_string(values);
    const char* expected = "a whole number >= 1";
    const std::uint64_t value = parse_whole_number(text, expected);
    if (value == 0) reject_option_value(text, expected);
    out = Count{value};
}

void validate(boost::any& out, const std::vector<std::string>& values, WholeNumber*, int) {
    out = WholeNumber{parse_whole_number(po::validators::get_single_string(values), "a whole number >= 0")};
}

void validate(boost::any& out, const std::vector<std::string>& values, FiniteReal*, int) {
    const std::string& text = po::validators::get_single_string(values);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range)  // 1e400, and also 1e-400: "finite" alone would puzzle
        reject_option_value(text, "a finite number a double holds (magnitude 0 or about 1e-308 to 1e308)");
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
        reject_option_value(text, "a finite number");
    out = FiniteReal{value};
}

po::variables_map parse_arguments(const std::vector<std::string>& args,
                                  const po::options_description& options,
                                  const po::positional_options_description& positional) {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
    return vm;
}

}  // namespace optbench::host
