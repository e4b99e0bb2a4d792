#include "cli/options.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace optbench::host {

namespace po = boost::program_options;

namespace {

[[noreturn]] void reject_option_value(const std::string& value, const char* expected) {
    throw po::error_with_option_name(
        fmt::format("the argument ('{}') for option '%canonical_option%' is invalid: expected {}", value,
                    expected));
}

}  // namespace

void warn_load_errors(const Registry& registry) {
    for (const std::string& e : registry.load_errors()) fmt::print(stderr, "warning: skipped {}\n", e);
}

void validate(boost::any& out, const std::vector<std::string>& values, Count*, int) {
    const std::string& text = po::validators::get_single_string(values);
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0)
        reject_option_value(text, "a whole number >= 1");
    out = Count{value};
}

void validate(boost::any& out, const std::vector<std::string>& values, FiniteReal*, int) {
    const std::string& text = po::validators::get_single_string(values);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
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
