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

std::vector<std::string> alternatives(const std::string& value) {
    std::vector<std::string> result;
    for (std::string_view part : sdk::detail::split(value, '|')) {
        const std::size_t dots = part.find("..");
        long long low = 0, high = 0;
        if (dots != std::string_view::npos && parse_int(part.substr(0, dots), low) &&
            parse_int(part.substr(dots + 2), high)) {
            if (low > high || high - low > 1000000)
                throw Error(fmt::format("invalid range '{}': expected LOW..HIGH with LOW <= HIGH", part));
            for (long long v = low; v <= high; ++v) result.push_back(std::to_string(v));
        } else {
            if (part.empty()) throw Error(fmt::format("empty alternative in '{}'", value));
            result.emplace_back(part);
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

std::vector<Spec> expand(const Spec& spec) {
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
