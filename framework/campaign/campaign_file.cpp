#include "campaign/campaign_file.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/text.hpp"
#include "results/csv.hpp"

namespace optbench::host {

std::vector<std::pair<std::string, std::string>> read_campaign_file(const std::string& file) {
    std::string content = read_text_file(file, "campaign file");
    // Editors on Windows start UTF-8 files with a byte-order mark; it is no part of the first key.
    if (content.starts_with("\xEF\xBB\xBF")) content.erase(0, 3);
    std::istringstream in(content);
    static const std::set<std::string> known = {
        "optimizers", "problems", "seeds",  "budget",      "budget-per-dim", "seed",
        "grad-cost",  "trace",    "target", "run-timeout", "out",            "holdout-every"};
    std::vector<std::pair<std::string, std::string>> settings;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        std::string_view text = line;
        if (const std::size_t hash = text.find('#'); hash != std::string_view::npos)
            text = text.substr(0, hash);
        text = trim(text);
        if (text.empty()) continue;
        const std::size_t eq = text.find('=');
        const std::string key(trim(text.substr(0, eq)));
        if (eq == std::string_view::npos || key.empty() || trim(text.substr(eq + 1)).empty())
            throw Error(fmt::format("campaign file {} line {}: expected 'key = value', got '{}'",
                                    file, number, text));
        if (!known.count(key)) {
            std::string names;
            for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
            throw Error(fmt::format("campaign file {} line {}: unknown setting '{}'; known: {}", file,
                                    number, key, names));
        }
        const std::string value(trim(text.substr(eq + 1)));
        auto existing = std::find_if(settings.begin(), settings.end(),
                                     [&](const auto& kv) { return kv.first == key; });
        if (existing == settings.end()) settings.emplace_back(key, value);
        else if (key == "optimizers" || key == "problems") existing->second += "," + value;
        else throw Error(fmt::format("campaign file {} line {}: '{}' is set twice", file, number, key));
        const bool both_budgets = std::count_if(settings.begin(), settings.end(), [](const auto& kv) {
                                      return kv.first == "budget" || kv.first == "budget-per-dim";
                                  }) == 2;
        if (both_budgets)
            throw Error(fmt::format("campaign file {} line {}: budget and budget-per-dim are one setting: expected "
                                    "one of them", file, number));
    }
    return settings;
}

}  // namespace optbench::host
