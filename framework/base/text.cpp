#include "base/text.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace optbench::host {

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

std::string one_line(std::string_view text) {
    std::string line;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n') line += "\\n";
        else if (c == '\r') line += "\\r";
        else if (c == '\t') line += "\\t";
        else if (byte < 0x20 || byte == 0x7f) line += fmt::format("\\x{:02x}", byte);
        else line += c;
    }
    return line;
}

std::string shell_quote(std::string_view text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'') quoted += "'\\''";
        else quoted += c;
    }
    return quoted + "'";
}

namespace {

bool is_letter_or_digit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_name_char(char c) { return is_letter_or_digit(c) || c == '_' || c == '-' || c == '.'; }

}  // namespace

bool is_portable_name(std::string_view name) {
    return !name.empty() && is_letter_or_digit(name.front()) && is_letter_or_digit(name.back()) &&
           std::all_of(name.begin(), name.end(), is_name_char);
}

std::string portable_name(std::string_view text) {
    std::string name;
    for (char c : text) {
        if (is_letter_or_digit(c) || c == '-' || c == '.') name += c;
        else if (!name.empty() && name.back() != '_') name += '_';
    }
    const auto first = std::find_if(name.begin(), name.end(), is_letter_or_digit);
    const auto last = std::find_if(name.rbegin(), name.rend(), is_letter_or_digit).base();
    return first < last ? std::string(first, last) : std::string();
}

std::string distinct_portable_name(std::string_view text, std::set<std::string>& taken) {
    const std::string base = portable_name(text);
    std::string name = base;
    for (int k = 2; taken.count(name); ++k) name = fmt::format("{}_{}", base, k);
    taken.insert(name);
    return name;
}

std::string grouped_count(double count) {
    if (!(count < 0x1p53)) return fmt::format("{:g}", count);
    const std::string digits = fmt::format("{:.0f}", count);
    std::string text;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
        text += digits[i];
    }
    return text;
}

std::string counted(std::size_t count, std::string_view noun) {
    return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

}  // namespace optbench::host
