#include "base/spec.hpp"

#include <charconv>

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/text.hpp"

namespace optbench::host {

std::string Spec::params_text() const {
    std::string text;
    for (const auto& [key, value] : params) {
        if (!text.empty()) text += ',';
        text += key + '=' + value;
    }
    return text;
}

std::string Spec::text() const { return params.empty() ? name : name + ':' + params_text(); }

namespace {

void add_param(Spec& spec, std::string_view token, std::string_view whole) {
    const std::size_t eq = token.find('=');
    const std::string_view key = trim(token.substr(0, eq));
    const std::string_view value = trim(token.substr(eq + 1));
    if (key.empty() || value.empty())
        throw Error(fmt::format("malformed parameter '{}' in '{}': expected key=value", token, whole));
    spec.params.emplace_back(std::string(key), std::string(value));
}

bool parse_int(std::string_view text, long long& out) {
    auto r = std::from_chars(text.data(), text.data() + text.size(), out);
    return r.ec == std::errc{} && r.ptr == text.data() + text.size();
}

// Beyond these a spec is a typo (dim=1..100000000, or long ranges multiplied), and its
// expansion would exhaust memory before anything ran.
constexpr double max_range_values = 1'000'000;
constexpr double max_expansion = 10'000'000;

// One part of "a|b|LOW..HIGH": a value as written, or a range of integers.
struct Alternative {
    std::string_view value;
    bool is_range = false;
    long long low = 0, high = 0;

    double size() const { return is_range ? static_cast<double>(high) - static_cast<double>(low) + 1 : 1; }
};

std::vector<Alternative> parse_alternatives(std::string_view value) {
    std::vector<Alternative> result;
    for (std::string_view part : sdk::detail::split(value, '|')) {
        if (part.empty()) throw Error(fmt::format("empty alternative in '{}'", value));
        Alternative alternative{part};
        const std::size_t dots = part.find("..");
        alternative.is_range = dots != std::string_view::npos && parse_int(part.substr(0, dots), alternative.low) &&
                               parse_int(part.substr(dots + 2), alternative.high);
        if (alternative.is_range && alternative.low > alternative.high)
            throw Error(fmt::format("invalid range '{}': expected LOW..HIGH with LOW <= HIGH", part));
        if (alternative.size() > max_range_values)
            throw Error(fmt::format("range '{}' has {} values; at most {} are allowed", part,
                                    grouped_count(alternative.size()), grouped_count(max_range_values)));
        result.push_back(alternative);
    }
    return result;
}

double alternative_count(std::string_view value) {
    double count = 0;
    for (const Alternative& alternative : parse_alternatives(value)) count += alternative.size();
    return count;
}

std::vector<std::string> alternatives(std::string_view value) {
    std::vector<std::string> result;
    for (const Alternative& alternative : parse_alternatives(value)) {
        if (!alternative.is_range) {
            result.emplace_back(alternative.value);
            continue;
        }
        for (long long v = alternative.low;; ++v) {
            result.push_back(std::to_string(v));
            if (v == alternative.high) break;  // not v <= high: ++v would overflow at the largest long long
        }
    }
    return result;
}

}  // namespace

std::vector<Spec> parse_spec_list(std::string_view text) {
    std::vector<Spec> specs;
    for (std::string_view raw : sdk::detail::split(text, ',')) {
        const std::string_view token = trim(raw);
        if (token.empty()) throw Error(fmt::format("empty entry in the list '{}'", text));
        const std::size_t eq = token.find('=');
        const bool starts_spec =
            eq == std::string_view::npos || token.substr(0, eq).find(':') != std::string_view::npos;
        if (starts_spec) {
            const std::size_t colon = token.find(':');
            Spec spec;
            spec.name = std::string(trim(token.substr(0, colon)));
            if (spec.name.empty()) throw Error(fmt::format("missing name in '{}'", token));
            if (colon != std::string_view::npos) {
                if (eq == std::string_view::npos)
                    throw Error(fmt::format("malformed spec '{}': expected name:key=value", token));
                add_param(spec, token.substr(colon + 1), text);
            }
            specs.push_back(std::move(spec));
        } else {
            if (specs.empty())
                throw Error(fmt::format("parameter '{}' comes before any name in '{}'", token, text));
            add_param(specs.back(), token, text);
        }
    }
    return specs;
}

double expansion_size(const Spec& spec) {
    double size = 1;
    for (const auto& [key, value] : spec.params) size *= alternative_count(value);
    return size;
}

std::vector<Spec> expand(const Spec& spec) {
    if (const double size = expansion_size(spec); size > max_expansion)
        throw Error(fmt::format("'{}' expands to {} specs; at most {} are allowed", spec.text(), grouped_count(size),
                                grouped_count(max_expansion)));
    std::vector<Spec> result{Spec{spec.name, {}}};
    for (const auto& [key, value] : spec.params) {
        std::vector<Spec> next;
        for (const Spec& partial : result)
            for (const std::string& choice : alternatives(value)) {
                Spec s = partial;
                s.params.emplace_back(key, choice);
                next.push_back(std::move(s));
            }
        result = std::move(next);
    }
    return result;
}

std::vector<Spec> expand_all(const std::vector<Spec>& specs) {
    std::vector<Spec> result;
    for (const Spec& spec : specs)
        for (Spec& s : expand(spec)) result.push_back(std::move(s));
    return result;
}

Spec make_spec(std::string_view name, std::string_view params_text) {
    if (params_text.empty()) return Spec{std::string(name), {}};
    const std::string text = fmt::format("{}:{}", name, params_text);
    std::vector<Spec> specs = parse_spec_list(text);
    if (specs.size() != 1 || specs[0].name != name)
        throw Error(fmt::format("'{}' is not the parameters of one spec of '{}'", params_text, name));
    return std::move(specs[0]);
}

}  // namespace optbench::host
