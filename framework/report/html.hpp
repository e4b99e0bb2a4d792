// report/index.html: report.md as one self-contained HTML page that needs no network and no
// other file: the plots' SVG inline, a contents list by view (the report's sections) and by
// problem, and the campaign's manifest. Built from report.md, so every section, table and plot
// the report writes there appears on the page without the page knowing it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "report/tables.hpp"

namespace optbench::host::report {

// `text` safe inside HTML text and quoted attribute values.
std::string escape_html(std::string_view text);

// A report table as an HTML <table> in a <div class="table"> that scrolls sideways when wide:
// title as caption, one <tbody> per group (group_starts), the note (Markdown inline: **bold**,
// `code`) below. With an id, the div gets it and group k's <tbody> the id "ID-gK".
std::string to_html(const Table& table, const std::string& id = "");

struct HtmlSource {
    std::string markdown;                   // report.md's text
    std::filesystem::path folder;           // the report folder: image links are relative to it
    std::vector<std::string> problems;      // listed in the contents, linked to their tables and plots
    std::filesystem::path manifest;         // the campaign's manifest.json; absent: the page says so
};

// The page. A plot image `![title](plots/NAME.png)` becomes plots/NAME.svg inline (its ids
// prefixed so that plots do not share ids); without that SVG the page says it was not rendered.
// Throws Error for a manifest that is not JSON.
std::string html_page(const HtmlSource& source);

}  // namespace optbench::host::report
