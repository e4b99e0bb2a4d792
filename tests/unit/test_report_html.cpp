// report/index.html (report/html.hpp): tables, escaping, inline SVG plots, contents and manifest.
// tests/report_html/check.sh opens the page of a real campaign in headless Chromium.
#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "base/error.hpp"
#include "report/html.hpp"
#include "report/report.hpp"
#include "results/csv.hpp"
#include "testing.hpp"

namespace fs = std::filesystem;
using namespace optbench;
using namespace optbench::host;
using namespace optbench::host::report;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
    return count;
}

// The first mis-nested tag of an HTML page ("" when every element closes in order): void
// elements and self-closed SVG elements close themselves; <style> holds text.
std::string nesting_error(const std::string& html) {
    static const std::set<std::string> void_elements = {"meta", "link", "br", "hr", "img", "input"};
    std::vector<std::string> open;
    for (std::size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
        if (html.compare(at, 2, "<!") == 0) continue;
        std::size_t end = at + 1;
        for (char quote = 0; end < html.size() && (quote || html[end] != '>'); ++end)
            if (html[end] == '"' || html[end] == '\'') quote = quote == html[end] ? 0 : quote ? quote : html[end];
        if (end == html.size()) return fmt::format("unterminated tag at {}", at);
        const bool closing = html[at + 1] == '/';
        const std::size_t name_start = at + (closing ? 2 : 1);
        const std::string name = html.substr(name_start, html.find_first_of(" \t\n/>", name_start) - name_start);
        if (closing) {
            if (open.empty() || open.back() != name)
                return fmt::format("</{}> at {} closes <{}>", name, at, open.empty() ? "nothing" : open.back());
            open.pop_back();
        } else if (name == "style") {
            end = html.find("</style>", end);
            if (end == std::string::npos) return "unterminated <style>";
            end += std::string_view("</style>").size() - 1;
        } else if (!void_elements.contains(name) && html[end - 1] != '/') {
            open.push_back(name);
        }
        at = end;
    }
    return open.empty() ? "" : fmt::format("<{}> never closed", open.back());
}

// Every id is unique and every in-page link (href="#ID") finds its id.
void check_links(const std::string& html) {
    std::set<std::string> ids;
    const std::regex id_pattern(R"(\sid=["']([^"']+)["'])");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), id_pattern); it != std::sregex_iterator(); ++it)
        CHECK_MESSAGE(ids.insert((*it)[1]).second, "duplicate id " << (*it)[1]);
    const std::regex link_pattern(R"(href=["']#([^"']+)["'])");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), link_pattern); it != std::sregex_iterator(); ++it)
        CHECK_MESSAGE(ids.contains((*it)[1]), "link to a missing id " << (*it)[1]);
}

// The page loads nothing: no URL of the network and no file but those it links to.
void check_self_contained(const std::string& html) {
    CHECK_FALSE(contains(html, "http://"));
    CHECK_FALSE(contains(html, "https://"));
    CHECK_FALSE(contains(html, "<?xml"));
    CHECK_FALSE(contains(html, " src="));
    CHECK_FALSE(contains(html, "<script"));
    CHECK_FALSE(contains(html, "@import"));
}

// What gnuplot's svg terminal writes, in small.
const char* const gnuplot_svg = R"svg(<?xml version="1.0" encoding="utf-8"  standalone="no"?>
<svg 
 viewBox="0 0 960 640"
 xmlns="http://www.w3.org/2000/svg"
 xmlns:xlink="http://www.w3.org/1999/xlink"
>
<title>Gnuplot</title>
<g id="gnuplot_canvas">
<defs>
	<path id='gpPt0' stroke-width='0.242' stroke='currentColor' d='M-1,0 h2 M0,-1 v2'/>
	<filter id='textbox' filterUnits='objectBoundingBox' x='0' y='0' height='1' width='1'>
	  <feFlood flood-color='#FFFFFF' flood-opacity='1' result='bgnd'/>
	</filter>
</defs>
<use xlink:href='#gpPt0' transform='translate(10,10) scale(3)' color='rgb(148,   0, 211)'/>
<text filter="url(#textbox)">x &lt; 1</text>
</g>
</svg>

)svg";

}  // namespace

TEST_CASE("to_html: escaped text, alignment, bold best cells, a tbody per group, the note") {
    Table table;
    table.title = "Final <value> & \"more\"";
    table.note = "**Bold**: best. `optbench run` resumes <it>.";
    table.header = {"problem", "value"};
    table.align = "lr";
    table.rows = {{{"<script>alert(1)</script>"}, {"1.5", true}}, {{"a"}, {"2"}}, {{"b & c"}, {"∞"}}};
    table.group_starts = {0, 2};
    const std::string html = to_html(table, "t");
    CHECK(nesting_error(html) == "");
    CHECK(contains(html, "<div class=\"table\" id=\"t\">"));
    CHECK(contains(html, "<caption>Final &lt;value&gt; &amp; &quot;more&quot;</caption>"));
    CHECK(contains(html, "<th>problem</th><th class=\"r\">value</th>"));
    CHECK_FALSE(contains(html, "<script>"));
    CHECK(contains(html, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td class=\"r\"><strong>1.5</strong></td>"));
    CHECK(contains(html, "<td>b &amp; c</td><td class=\"r\">∞</td>"));
    CHECK(occurrences(html, "<tbody") == 2);
    CHECK(contains(html, "<tbody id=\"t-g0\">\n<tr><td>&lt;script"));
    CHECK(contains(html, "<tbody id=\"t-g1\">\n<tr><td>b &amp; c"));
    CHECK(contains(html, "<p class=\"note\"><strong>Bold</strong>: best. <code>optbench run</code> resumes &lt;it&gt;.</p>"));

    Table empty;
    empty.header = {"problem", "optimizer", "runs"};
    const std::string none = to_html(empty);
    CHECK(nesting_error(none) == "");
    CHECK(contains(none, "<tbody><tr><td colspan=\"3\">(none)</td></tr></tbody>"));
    CHECK_FALSE(contains(none, "id="));
    CHECK(escape_html("<a href='x'>&</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
}

TEST_CASE("html_page: Markdown blocks, tables, inline SVG plots, contents by view and problem, manifest") {
    testing::TempDir dir;
    fs::create_directories(dir.path() / "plots");
    write_file_atomically(dir.path() / "plots" / "conv_p_dim_20.svg", gnuplot_svg);
    write_file_atomically(dir.path() / "manifest.json", R"({"optimizers": ["random_search"], "budget": 100})");
    HtmlSource source;
    source.folder = dir.path();
    source.problems = {"p:dim=2", "p:dim=20", "q"};
    source.manifest = dir.path() / "manifest.json";
    source.markdown = R"md(# optbench report: results/<try>

Campaign: `budget=100 dim=2|20`

> **Note:** 1 run ended
> with status error.

## Final values

**Final value per problem & optimizer**

| problem | optimizer | value | note |
|---|---|---:|---|
| p:dim=2 | a | **1.5** | x \| y |
| p:dim=2 | b | 2 | * |
| p:dim=20 | a | **3** | - |

**Bold**: the best median; [median] is a median.

## Plots

### Convergence

![Convergence on p:dim=20: median & IQR](plots/conv_p_dim_20.png)

Convergence on p:dim=20: median & IQR ([SVG](plots/conv_p_dim_20.svg), [gnuplot script](plots/conv_p_dim_20.gp))

![Convergence on p:dim=2: one run](plots/conv_p_dim_2.png)

### Figures

- The a figure (script plots/a.gp,
  not rendered)
- second item

## Method

1. **Runs.** Every row
2. counted

```
python -m cocopp coco/a <b>
```
)md";
    const std::string html = html_page(source);
    CHECK(nesting_error(html) == "");
    check_links(html);
    check_self_contained(html);
    CHECK(html.starts_with("<!DOCTYPE html>\n"));
    CHECK(contains(html, "<title>optbench report: results/&lt;try&gt;</title>"));
    CHECK(contains(html, "<header>\n<h1 id=\"optbench_report_results_try\">optbench report: results/&lt;try&gt;</h1>\n"
                         "<p>Campaign: <code>budget=100 dim=2|20</code></p>\n"
                         "<blockquote>\n<p><strong>Note:</strong> 1 run ended\nwith status error.</p>\n</blockquote>\n"
                         "</header>\n<nav id=\"contents\""));

    // The table: caption from the bold line above it, "\|" unescaped, bold cells best, a group per problem.
    CHECK(contains(html, "<div class=\"table\" id=\"table_1\">\n<table>\n<caption>Final value per problem &amp; optimizer</caption>"));
    CHECK(contains(html, "<th>problem</th><th>optimizer</th><th class=\"r\">value</th><th>note</th>"));
    CHECK(contains(html, "<tbody id=\"table_1-g0\">\n<tr><td>p:dim=2</td><td>a</td><td class=\"r\"><strong>1.5</strong></td><td>x | y</td></tr>\n"
                         "<tr><td>p:dim=2</td><td>b</td><td class=\"r\">2</td><td>*</td></tr>\n</tbody>\n"
                         "<tbody id=\"table_1-g1\">\n<tr><td>p:dim=20</td>"));
    CHECK(contains(html, "<p><strong>Bold</strong>: the best median; [median] is a median.</p>"));

    // The rendered plot inline, its ids prefixed, namespaces dropped; the caption with its links.
    CHECK(contains(html, "<figure id=\"plot_conv_p_dim_20\">\n<svg role=\"img\" \n viewBox=\"0 0 960 640\"\n>\n"
                         "<title>Convergence on p:dim=20: median &amp; IQR</title>\n<g id=\"plot_conv_p_dim_20-gnuplot_canvas\">"));
    CHECK(contains(html, "<path id='plot_conv_p_dim_20-gpPt0'"));
    CHECK(contains(html, "<filter id='plot_conv_p_dim_20-textbox'"));
    CHECK(contains(html, "<use xlink:href='#plot_conv_p_dim_20-gpPt0'"));
    CHECK(contains(html, "<text filter=\"url(#plot_conv_p_dim_20-textbox)\">x &lt; 1</text>\n</g>\n</svg>\n<figcaption>"));
    CHECK(contains(html, "<figcaption>Convergence on p:dim=20: median &amp; IQR (<a href=\"plots/conv_p_dim_20.svg\">SVG</a>, "
                         "<a href=\"plots/conv_p_dim_20.gp\">gnuplot script</a>)</figcaption>"));
    CHECK(occurrences(html, "<svg") == 1);
    CHECK(contains(html, "<figure id=\"plot_conv_p_dim_2\">\n<p class=\"missing\">Not rendered: plots/conv_p_dim_2.svg is "
                         "missing.</p>\n<figcaption>Convergence on p:dim=2: one run</figcaption>"));

    CHECK(contains(html, "<ul>\n<li>The a figure (script plots/a.gp, not rendered)</li>\n<li>second item</li>\n</ul>"));
    CHECK(contains(html, "<ol>\n<li><strong>Runs.</strong> Every row</li>\n<li>counted</li>\n</ol>"));
    CHECK(contains(html, "<pre><code>python -m cocopp coco/a &lt;b&gt;</code></pre>"));

    // Contents by view: sections with their subsections and what they hold.
    CHECK(contains(html, "<h3>By view</h3>\n<ul>\n"
                         "<li><a href=\"#Final_values\">Final values</a> <span class=\"count\">(1 table)</span></li>\n"
                         "<li><a href=\"#Plots\">Plots</a><ul>\n"
                         "<li><a href=\"#Convergence\">Convergence</a> <span class=\"count\">(2 plots)</span></li>\n"
                         "<li><a href=\"#Figures\">Figures</a></li>\n</ul>\n</li>\n"
                         "<li><a href=\"#Method\">Method</a></li>\n"
                         "<li><a href=\"#manifest\">Campaign manifest</a></li>\n</ul>"));
    // By problem: p:dim=2 is not taken for p:dim=20 (the longer name, a whole word, wins).
    CHECK(contains(html, "<tr><th scope=\"row\">p:dim=2</th><td><a href=\"#table_1-g0\">Final values</a> · "
                         "<a href=\"#plot_conv_p_dim_2\">Convergence</a></td></tr>"));
    CHECK(contains(html, "<tr><th scope=\"row\">p:dim=20</th><td><a href=\"#table_1-g1\">Final values</a> · "
                         "<a href=\"#plot_conv_p_dim_20\">Convergence</a></td></tr>"));
    CHECK(contains(html, "<tr><th scope=\"row\">q</th><td></td></tr>"));

    // The manifest, pretty-printed in a collapsible block at the end.
    CHECK(contains(html, "<details>\n<summary>manifest.json"));
    CHECK(contains(html, "<pre>{\n  &quot;optimizers&quot;: [\n    &quot;random_search&quot;\n  ],\n  &quot;budget&quot;: 100\n}</pre>"));
    CHECK(html.find("<h2 id=\"manifest\">") > html.find("<h2 id=\"Method\">"));

    fs::remove(source.manifest);
    CHECK(contains(html_page(source), "<p>The results folder has no manifest.json.</p>"));
}

TEST_CASE("html_page: a manifest that is not JSON and an SVG without <svg> are errors naming the file") {
    testing::TempDir dir;
    HtmlSource source;
    source.folder = dir.path();
    source.manifest = dir.path() / "manifest.json";
    write_file_atomically(source.manifest, "{\"budget\": ");
    CHECK_THROWS_WITH_AS(html_page(source), doctest::Contains("manifest.json: not valid JSON"), Error);
    fs::remove(source.manifest);
    source.markdown = "![plot](plots/x.png)\n";
    fs::create_directories(dir.path() / "plots");
    write_file_atomically(dir.path() / "plots" / "x.svg", "<html></html>");
    CHECK_THROWS_WITH_AS(html_page(source), doctest::Contains("x.svg: not an SVG file (no <svg> element)"), Error);
}

TEST_CASE("index.html of optbench report holds every table and plot of report.md, self-contained") {
    const fs::path basic = testing::source_dir() / "tests" / "data" / "report" / "basic";
    for (const bool render : {true, false}) {
        CAPTURE(render);
        testing::TempDir dir;
        ReportOptions options;
        options.results = basic;
        options.out = dir.path() / "report";
        options.render = render;
        const ReportOutput out = write_report(options);
        REQUIRE(std::find(out.files.begin(), out.files.end(), options.out / "index.html") != out.files.end());
        const std::string html = read_file(options.out / "index.html");
        const std::string md = read_file(options.out / "report.md");
        CHECK(nesting_error(html) == "");
        check_links(html);
        check_self_contained(html);

        std::size_t md_tables = 0;
        for (std::size_t at = md.find("\n|---"); at != std::string::npos; at = md.find("\n|---", at + 1)) ++md_tables;
        CHECK(md_tables >= 6);  // final, one targets table per problem, metrics, status
        CHECK(occurrences(html, "<table>\n") == md_tables);
        for (const char* section : {"Final values", "Evaluations to targets", "Hold-out metrics", "Runs that did not finish ok"})
            CHECK_MESSAGE(contains(html, fmt::format(">{}</a>", section)), section);

        for (const Plot& plot : out.plots) {
            CAPTURE(plot.name);
            CHECK(contains(html, escape_html(plot.title)));
            CHECK(contains(html, fmt::format("<figure id=\"plot_{}\">\n<svg role=\"img\"", plot.name)) == out.rendered);
        }
        CHECK(occurrences(html, "<svg") == (out.rendered ? out.plots.size() : 0));
        if (!out.rendered) CHECK(contains(html, "Plots were not rendered (asked not to)."));

        const ResultSet results = load_results(basic);
        for (const std::string& problem : results.problems)
            CHECK_MESSAGE(contains(html, fmt::format("<tr><th scope=\"row\">{}</th><td><a href=\"#table_1-g", escape_html(problem))),
                          problem);
        CHECK(contains(html, "&quot;campaign_key&quot;"));
    }
}
