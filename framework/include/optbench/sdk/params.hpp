// Self-documenting parameters: a plugin declares each parameter once (name, type, default,
// doc, range), and the same declaration drives validation, typed getters and
// `optbench describe`. Unknown keys are errors that list the known ones.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "optbench/sdk/abi.hpp"

namespace optbench::sdk {

// Thrown for a bad parameter; the message is one line that names the parameter.
class ParamError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

inline constexpr double unbounded = std::numeric_limits<double>::infinity();

// Declarations. Defaults are written as text, exactly as a user would type them.
constexpr abi::ParamSpec real(const char* name, const char* default_value, const char* doc,
                              double min = -unbounded, double max = unbounded) {
    return {name, "real", default_value, doc, "", min, max};
}
constexpr abi::ParamSpec integer(const char* name, const char* default_value, const char* doc,
                                 double min = -9.007199254740992e15,
                                 double max = 9.007199254740992e15) {
    return {name, "int", default_value, doc, "", min, max};
}
constexpr abi::ParamSpec boolean(const char* name, const char* default_value, const char* doc) {
    return {name, "bool", default_value, doc, "", 0, 1};
}
constexpr abi::ParamSpec text(const char* name, const char* default_value, const char* doc) {
    return {name, "string", default_value, doc, "", 0, 0};
}
// choices: the allowed values separated by '|', e.g. "auto|full|sep".
constexpr abi::ParamSpec choice(const char* name, const char* default_value, const char* choices,
                                const char* doc) {
    return {name, "choice", default_value, doc, choices, 0, 0};
}

namespace detail {

inline std::string format_number(double v) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
}

inline bool parse_double(std::string_view text, double& out) {
    if (text == "inf" || text == "+inf") {
        out = std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == "-inf") {
        out = -std::numeric_limits<double>::infinity();
        return true;
    }
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    if (text.empty()) return false;
    auto result = std::from_chars(text.data(), text.data() + text.size(), out);
    return result.ec == std::errc{} && result.ptr == text.data() + text.size() &&
           std::isfinite(out);
}

inline std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return parts;
}

}  // namespace detail

// Reads a real number; accepts "inf" and "-inf".
inline double parse_real(std::string_view name, std::string_view text) {
    double value = 0;
    if (!detail::parse_double(text, value))
        throw ParamError("parameter '" + std::string(name) + "' expects a real number, got '" +
                         std::string(text) + "'");
    return value;
}

// Reads an integer; accepts exponent notation when the value is integral (1e6).
inline std::int64_t parse_integer(std::string_view name, std::string_view text) {
    std::int64_t value = 0;
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (!digits.empty() && result.ec == std::errc{} && result.ptr == digits.data() + digits.size())
        return value;
    double real_value = 0;
    if (detail::parse_double(text, real_value) && real_value == std::floor(real_value) &&
        std::fabs(real_value) <= 9.007199254740992e15)
        return static_cast<std::int64_t>(real_value);
    throw ParamError("parameter '" + std::string(name) + "' expects an integer, got '" +
                     std::string(text) + "'");
}

inline bool parse_boolean(std::string_view name, std::string_view text) {
    if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
    if (text == "false" || text == "0" || text == "no" || text == "off") return false;
    throw ParamError("parameter '" + std::string(name) + "' expects true or false, got '" +
                     std::string(text) + "'");
}

// The validated parameters of one plugin object: every declared parameter has a value
// (given or default), and every given key was declared.
class Params {
public:
    using Given = std::vector<std::pair<std::string, std::string>>;

    // owner names the optimizer or problem in error messages.
    Params(std::string_view owner, std::span<const abi::ParamSpec> specs, const Given& given)
        : specs_(specs.begin(), specs.end()) {
        values_.reserve(specs_.size());
        for (const auto& spec : specs_) values_.emplace_back(spec.default_value);
        given_.assign(specs_.size(), false);
        for (const auto& [key, value] : given) {
            const std::size_t i = find(key);
            if (i == specs_.size())
                throw ParamError("unknown parameter '" + key + "' for '" + std::string(owner) +
                                 "'; known: " + known_names());
            if (given_[i])
                throw ParamError("parameter '" + key + "' given twice for '" +
                                 std::string(owner) + "'");
            given_[i] = true;
            values_[i] = value;
        }
        for (std::size_t i = 0; i < specs_.size(); ++i) check(specs_[i], values_[i]);
    }

    double real(std::string_view name) const {
        return parse_real(name, value(name, "real"));
    }
    // For a real parameter whose range is declared unbounded but whose meaning needs a finite
    // value (a width, a rate): "inf" passes the range check and must be refused here.
    double finite_real(std::string_view name) const {
        const double v = real(name);
        if (!std::isfinite(v))
            throw ParamError("parameter '" + std::string(name) + "' must be finite, got " +
                             detail::format_number(v));
        return v;
    }
    std::int64_t integer(std::string_view name) const {
        return parse_integer(name, value(name, "int"));
    }
    bool boolean(std::string_view name) const {
        return parse_boolean(name, value(name, "bool"));
    }
    // For "string" and "choice" parameters.
    const std::string& text(std::string_view name) const {
        const std::size_t i = find(name);
        if (i == specs_.size() || (std::string_view(specs_[i].type) != "string" &&
                                   std::string_view(specs_[i].type) != "choice"))
            throw std::logic_error("plugin bug: text parameter '" + std::string(name) +
                                   "' is not declared");
        return values_[i];
    }
    // True when the user set this parameter (rather than taking the default).
    bool given(std::string_view name) const {
        const std::size_t i = find(name);
        return i < specs_.size() && given_[i];
    }

    // Checks one value against its declaration; throws ParamError naming the parameter.
    static void check(const abi::ParamSpec& spec, std::string_view value) {
        const std::string_view type = spec.type;
        std::string range = "[";
        range += detail::format_number(spec.min);
        range += ", ";
        range += detail::format_number(spec.max);
        range += "]";
        if (type == "real") {
            const double v = parse_real(spec.name, value);
            if (!(v >= spec.min && v <= spec.max))
                throw ParamError("parameter '" + std::string(spec.name) + "' must be in " +
                                 range + ", got " + std::string(value));
        } else if (type == "int") {
            const auto v = static_cast<double>(parse_integer(spec.name, value));
            if (!(v >= spec.min && v <= spec.max))
                throw ParamError("parameter '" + std::string(spec.name) + "' must be in " +
                                 range + ", got " + std::string(value));
        } else if (type == "bool") {
            parse_boolean(spec.name, value);
        } else if (type == "choice") {
            for (std::string_view allowed : detail::split(spec.choices, '|'))
                if (allowed == value) return;
            throw ParamError("parameter '" + std::string(spec.name) + "' must be one of " +
                             std::string(spec.choices) + ", got '" + std::string(value) + "'");
        } else if (type != "string") {
            throw ParamError("parameter '" + std::string(spec.name) + "' has unknown type '" +
                             std::string(type) + "'");
        }
    }

private:
    std::size_t find(std::string_view name) const {
        for (std::size_t i = 0; i < specs_.size(); ++i)
            if (name == specs_[i].name) return i;
        return specs_.size();
    }

    const std::string& value(std::string_view name, std::string_view type) const {
        const std::size_t i = find(name);
        if (i == specs_.size() || type != specs_[i].type)
            throw std::logic_error("plugin bug: parameter '" + std::string(name) +
                                   "' is not declared as " + std::string(type));
        return values_[i];
    }

    std::string known_names() const {
        std::string names;
        for (const auto& spec : specs_) {
            if (!names.empty()) names += ", ";
            names += spec.name;
        }
        return names.empty() ? "(none)" : names;
    }

    std::vector<abi::ParamSpec> specs_;
    std::vector<std::string> values_;
    std::vector<bool> given_;
};

}  // namespace optbench::sdk
