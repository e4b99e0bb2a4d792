#include "report/html.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "base/text.hpp"
#include "results/csv.hpp"

namespace optbench::host::report {

namespace fs = std::filesystem;

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

namespace {

constexpr auto npos = std::string_view::npos;

// The inline Markdown that report.md writes: `code`, **bold**, [text](link), backslash escapes.
// Anything else is text.
std::string inline_html(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\\' && i + 1 < text.size() && std::ispunct(static_cast<unsigned char>(text[i + 1]))) {
            out += escape_html(text.substr(i + 1, 1));
            i += 2;
            continue;
        }
        if (text[i] == '`') {
            if (const std::size_t end = text.find('`', i + 1); end != npos) {
                out += "<code>" + escape_html(text.substr(i + 1, end - i - 1)) + "</code>";
                i = end + 1;
                continue;
            }
        }
        if (text.compare(i, 2, "**") == 0) {
            if (const std::size_t end = text.find("**", i + 2); end != npos && end > i + 2) {
                out += "<strong>" + inline_html(text.substr(i + 2, end - i - 2)) + "</strong>";
                i = end + 2;
                continue;
            }
        }
        if (text[i] == '[') {
            const std::size_t middle = text.find(']', i + 1);
            const std::size_t end = middle == npos || text.compare(middle, 2, "](") != 0 ? npos : text.find(')', middle + 2);
            if (end != npos) {
                out += fmt::format("<a href=\"{}\">{}</a>", escape_html(text.substr(middle + 2, end - middle - 2)),
                                   inline_html(text.substr(i + 1, middle - i - 1)));
                i = end + 1;
                continue;
            }
        }
        out += escape_html(text.substr(i, 1));
        ++i;
    }
    return out;
}

}  // namespace

std::string to_html(const Table& table, const std::string& id) {
    const auto align = [&](std::size_t column) -> std::string_view {
        const char a = column < table.align.size() ? table.align[column] : 'l';
        return a == 'r' ? " class=\"r\"" : a == 'c' ? " class=\"c\"" : "";
    };
    std::string out = id.empty() ? "<div class=\"table\">\n" : fmt::format("<div class=\"table\" id=\"{}\">\n", escape_html(id));
    out += "<table>\n";
    if (!table.title.empty()) out += "<caption>" + escape_html(table.title) + "</caption>\n";
    out += "<thead><tr>";
    for (std::size_t i = 0; i < table.header.size(); ++i)
        out += fmt::format("<th{}>{}</th>", align(i), escape_html(table.header[i]));
    out += "</tr></thead>\n";
    if (table.rows.empty())
        out += fmt::format("<tbody><tr><td colspan=\"{}\">(none)</td></tr></tbody>\n", std::max<std::size_t>(1, table.header.size()));
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto group = std::find(table.group_starts.begin(), table.group_starts.end(), r);
        if (r == 0 || group != table.group_starts.end()) {
            if (r > 0) out += "</tbody>\n";
            out += group == table.group_starts.end() || id.empty()
                       ? "<tbody>\n"
                       : fmt::format("<tbody id=\"{}-g{}\">\n", escape_html(id), group - table.group_starts.begin());
        }
        out += "<tr>";
        for (std::size_t i = 0; i < table.rows[r].size(); ++i) {
            const Cell& cell = table.rows[r][i];
            const std::string text = escape_html(cell.text);
            out += fmt::format("<td{}>{}</td>", align(i), cell.best ? "<strong>" + text + "</strong>" : text);
        }
        out += "</tr>\n";
        if (r + 1 == table.rows.size()) out += "</tbody>\n";
    }
    out += "</table>\n</div>\n";
    if (!table.note.empty()) out += "<p class=\"note\">" + inline_html(table.note) + "</p>\n";
    return out;
}

namespace {

// --- Markdown blocks: the subset report.md writes ---------------------------------------------

enum class BlockKind { heading, paragraph, list, quote, code, table };

struct Block {
    BlockKind kind;
    int level = 0;         // heading
    bool ordered = false;  // list
    std::vector<std::string> lines = {};  // a list's items; a quote's inner Markdown; a table's rows
};

int heading_level(std::string_view line) {
    const std::size_t hashes = line.find_first_not_of('#');
    return hashes >= 1 && hashes <= 6 && hashes < line.size() && line[hashes] == ' ' ? static_cast<int>(hashes) : 0;
}

// The item's text when the line starts a list item ("- ", "* ", "12. ").
std::optional<std::string_view> list_item(std::string_view line, bool& ordered) {
    if (line.starts_with("- ") || line.starts_with("* ")) {
        ordered = false;
        return trim(line.substr(2));
    }
    const std::size_t digits = line.find_first_not_of("0123456789");
    if (digits > 0 && digits != npos && line.compare(digits, 2, ". ") == 0) {
        ordered = true;
        return trim(line.substr(digits + 2));
    }
    return std::nullopt;
}

bool is_delimiter_row(std::string_view line) {
    line = trim(line);
    return line.starts_with('|') && line.find('-') != npos && line.find_first_not_of("|-: ") == npos;
}

bool starts_table(const std::vector<std::string>& lines, std::size_t i) {
    return trim(lines[i]).starts_with('|') && i + 1 < lines.size() && is_delimiter_row(lines[i + 1]);
}

bool starts_block(const std::vector<std::string>& lines, std::size_t i) {
    bool ordered = false;
    const std::string_view line = lines[i];
    return heading_level(line) || line.starts_with("```") || line.starts_with('>') || list_item(line, ordered) ||
           starts_table(lines, i);
}

std::vector<Block> parse_blocks(const std::vector<std::string>& lines) {
    std::vector<Block> blocks;
    const std::size_t n = lines.size();
    const auto blank = [&](std::size_t i) { return trim(lines[i]).empty(); };
    for (std::size_t i = 0; i < n;) {
        const std::string_view line = lines[i];
        bool ordered = false;
        if (blank(i)) {
            ++i;
        } else if (line.starts_with("```")) {
            Block code{BlockKind::code};
            for (++i; i < n && !lines[i].starts_with("```"); ++i) code.lines.push_back(lines[i]);
            ++i;
            blocks.push_back(std::move(code));
        } else if (const int level = heading_level(line)) {
            blocks.push_back({BlockKind::heading, level, false, {std::string(trim(line.substr(level)))}});
            ++i;
        } else if (line.starts_with('>')) {
            Block quote{BlockKind::quote};
            for (; i < n && lines[i].starts_with('>'); ++i) {
                std::string_view inner = std::string_view(lines[i]).substr(1);
                if (inner.starts_with(' ')) inner.remove_prefix(1);
                quote.lines.emplace_back(inner);
            }
            blocks.push_back(std::move(quote));
        } else if (starts_table(lines, i)) {
            Block table{BlockKind::table};
            for (; i < n && trim(lines[i]).starts_with('|'); ++i) table.lines.push_back(lines[i]);
            blocks.push_back(std::move(table));
        } else if (list_item(line, ordered)) {
            Block list{BlockKind::list, 0, ordered};
            for (bool item_ordered = false; i < n;) {
                if (const auto item = list_item(lines[i], item_ordered); item && item_ordered == ordered) {
                    list.lines.emplace_back(*item);
                    ++i;
                } else if (!blank(i) && !starts_block(lines, i)) {  // the item's next line
                    list.lines.back() += ' ';
                    list.lines.back() += trim(lines[i]);
                    ++i;
                } else if (blank(i) && i + 1 < n && list_item(lines[i + 1], item_ordered) && item_ordered == ordered) {
                    ++i;  // a blank line between items
                } else {
                    break;
                }
            }
            blocks.push_back(std::move(list));
        } else {
            Block paragraph{BlockKind::paragraph};
            for (; i < n && !blank(i) && (paragraph.lines.empty() || !starts_block(lines, i)); ++i)
                paragraph.lines.emplace_back(trim(lines[i]));
            blocks.push_back(std::move(paragraph));
        }
    }
    return blocks;
}

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        lines.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
    return out;
}

// A pipe-table row's cells, without the outer pipes, "\|" unescaped.
std::vector<std::string> table_cells(std::string_view row) {
    row = trim(row);
    if (row.starts_with('|')) row.remove_prefix(1);
    if (row.ends_with('|') && !row.ends_with("\\|")) row.remove_suffix(1);
    std::vector<std::string> cells(1);
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
            cells.back() += '|';
            ++i;
        } else if (row[i] == '|') {
            cells.emplace_back();
        } else {
            cells.back() += row[i];
        }
    }
    for (std::string& cell : cells) cell = std::string(trim(cell));
    return cells;
}

// The table to_markdown wrote: header, alignment from the delimiter row, bold cells as best.
Table parse_table(const std::vector<std::string>& rows, std::string title) {
    Table table;
    table.title = std::move(title);
    table.header = table_cells(rows[0]);
    for (const std::string& delimiter : table_cells(rows[1]))
        table.align += delimiter.ends_with(':') ? (delimiter.starts_with(':') ? 'c' : 'r') : 'l';
    for (std::size_t r = 2; r < rows.size(); ++r) {
        std::vector<Cell> cells;
        for (std::string& text : table_cells(rows[r])) {
            const bool bold = text.size() > 4 && text.starts_with("**") && text.ends_with("**");
            cells.push_back({bold ? text.substr(2, text.size() - 4) : std::move(text), bold});
        }
        table.rows.push_back(std::move(cells));
    }
    return table;
}

// `![alt](src)` alone.
struct Image {
    std::string alt, src;
};
std::optional<Image> image_only(const Block& block) {
    if (block.kind != BlockKind::paragraph || block.lines.size() != 1) return std::nullopt;
    const std::string_view line = block.lines[0];
    const std::size_t middle = line.find("](");
    if (!line.starts_with("![") || middle == npos || !line.ends_with(')')) return std::nullopt;
    return Image{std::string(line.substr(2, middle - 2)), std::string(line.substr(middle + 2, line.size() - middle - 3))};
}

// `**title**` alone, followed by a table: the table's caption.
std::optional<std::string> table_title(const std::vector<Block>& blocks, std::size_t k) {
    const Block& block = blocks[k];
    if (block.kind != BlockKind::paragraph || block.lines.size() != 1 || k + 1 == blocks.size() ||
        blocks[k + 1].kind != BlockKind::table)
        return std::nullopt;
    const std::string_view line = block.lines[0];
    if (line.size() <= 4 || !line.starts_with("**") || !line.ends_with("**") || line.substr(2, line.size() - 4).find("**") != npos)
        return std::nullopt;
    return std::string(line.substr(2, line.size() - 4));
}

// Inserts `prefix` after every `marker` in `text`.
void insert_after_each(std::string& text, std::string_view marker, std::string_view prefix) {
    for (std::size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + marker.size() + prefix.size()))
        text.insert(at + marker.size(), prefix);
}

// An SVG file as an element of the page: without its XML prolog and namespace declarations
// (HTML's parser supplies the namespaces), its ids prefixed so that the page's plots do not
// share ids, titled for screen readers and tooltips.
std::string inline_svg(const fs::path& file, const std::string& id_prefix, const std::string& title) {
    std::string svg = read_file(file, "SVG file");
    const std::size_t start = svg.find("<svg");
    const std::size_t root_end = start == std::string::npos ? start : svg.find('>', start);
    if (root_end == std::string::npos) throw Error(fmt::format("{}: not an SVG file (no <svg> element)", file.string()));
    std::string root = svg.substr(start, root_end - start);
    for (std::size_t at; (at = root.find("xmlns")) != std::string::npos;) {
        const std::size_t open = root.find_first_of("\"'", at);
        const std::size_t close = open == std::string::npos ? open : root.find(root[open], open + 1);
        if (close == std::string::npos) throw Error(fmt::format("{}: unterminated xmlns attribute", file.string()));
        const std::size_t from = root.find_last_not_of(" \t\r\n", at - 1) + 1;
        root.erase(from, close + 1 - from);
    }
    svg = "<svg role=\"img\"" + root.substr(4) + svg.substr(root_end, svg.find_last_not_of(" \t\r\n") + 1 - root_end);
    for (const std::string_view marker : {" id='", " id=\"", "href='#", "href=\"#", "url(#"})
        insert_after_each(svg, marker, id_prefix);
    const std::size_t title_start = svg.find("<title>");
    const std::size_t title_end = title_start == std::string::npos ? title_start : svg.find("</title>", title_start);
    if (title_end != std::string::npos)
        svg.replace(title_start + 7, title_end - title_start - 7, escape_html(title));
    return svg;
}

bool part_of_name(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_.,=-").find(c) != npos;
}

// --- The page ------------------------------------------------------------------------------------

class PageWriter {
public:
    explicit PageWriter(const HtmlSource& source) : source_(source), links_(source.problems.size()) {
        taken_ = {"contents", "manifest"};
    }

    std::string page() {
        // The contents list goes between the introduction and the first section.
        std::vector<Block> sections = parse_blocks(split_lines(source_.markdown));
        const auto first_section = std::find_if(sections.begin(), sections.end(), [](const Block& b) {
            return b.kind == BlockKind::heading && b.level == 2;
        });
        const std::vector<Block> intro(std::make_move_iterator(sections.begin()), std::make_move_iterator(first_section));
        sections.erase(sections.begin(), first_section);
        const std::string intro_html = blocks_html(intro), body = blocks_html(sections), manifest = manifest_html();
        return fmt::format(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            // Enforces what the page promises: nothing loads from the network or another file.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<link rel=\"icon\" href=\"data:,\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n"
            "<header>\n{}</header>\n{}<main>\n{}{}</main>\n</body>\n</html>\n",
            escape_html(title_.empty() ? "optbench report" : title_), style, intro_html, contents_html(), body, manifest);
    }

private:
    struct Section {
        int level;
        std::string title, id;
        std::size_t tables = 0, plots = 0;
    };
    struct Link {
        std::string view, id;
    };

    static constexpr const char* style = R"(
body { font-family: system-ui, sans-serif; line-height: 1.45; color: #1a1a1a; background: #fff;
       max-width: 110rem; margin: 0 auto; padding: 0 1.5rem 3rem; }
p, li, blockquote { max-width: 72rem; }
h1 { font-size: 1.6rem; margin-top: 1.5rem; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2.5rem; }
code, pre { font-family: ui-monospace, monospace; font-size: .9em; }
pre { background: #f5f5f5; padding: .8rem; overflow-x: auto; }
blockquote { border-left: 4px solid #d0a000; background: #fff8e0; margin: 1rem 0; padding: .1rem 1rem; }
.table { overflow-x: auto; margin: 1rem 0 .3rem; }
table { border-collapse: collapse; font-size: .85rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { padding: .15rem .5rem; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; border-bottom: 2px solid #999; white-space: nowrap; }
tbody + tbody { border-top: 2px solid #999; }
.r { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.c { text-align: center; }
.note { font-size: .85rem; color: #444; max-width: 60rem; }
figure { margin: 1.5rem 0; }
figure svg { display: block; width: 100%; max-width: 960px; height: auto; }
figcaption { font-size: .9rem; color: #333; max-width: 60rem; }
.missing { color: #a00; }
.contents { display: grid; grid-template-columns: minmax(16rem, 1fr) 2fr; gap: 2rem; }
.count { color: #666; font-size: .85rem; }
.problems th { font-family: ui-monospace, monospace; font-weight: normal; }
)";

    std::string id_for(const std::string& text) {
        std::string id = distinct_portable_name(text, taken_);
        return id.empty() ? distinct_portable_name("section", taken_) : id;
    }

    // The problem `text` names as a whole (the longest match); none when it names none.
    std::optional<std::size_t> problem_named(std::string_view text) const {
        std::optional<std::size_t> found;
        for (std::size_t p = 0; p < source_.problems.size(); ++p) {
            const std::string& name = source_.problems[p];
            if (found && source_.problems[*found].size() >= name.size()) continue;
            for (std::size_t at = text.find(name); at != npos; at = text.find(name, at + 1)) {
                const std::size_t end = at + name.size();
                if ((at == 0 || !part_of_name(text[at - 1])) && (end == text.size() || !part_of_name(text[end]))) {
                    found = p;
                    break;
                }
            }
        }
        return found;
    }

    void link(std::optional<std::size_t> problem, const std::string& id) {
        if (!problem) return;
        std::vector<Link>& links = links_[*problem];
        const std::string view = sections_.empty() ? "report" : sections_.back().title;
        if (std::none_of(links.begin(), links.end(), [&](const Link& l) { return l.view == view; }))
            links.push_back({view, id});
    }

    Section* current_section() { return sections_.empty() ? nullptr : &sections_.back(); }

    std::string blocks_html(const std::vector<Block>& blocks) {
        std::string out;
        for (std::size_t k = 0; k < blocks.size(); ++k) {
            const Block& block = blocks[k];
            switch (block.kind) {
                case BlockKind::heading: out += heading_html(block); break;
                case BlockKind::code: out += "<pre><code>" + escape_html(joined(block.lines)) + "</code></pre>\n"; break;
                case BlockKind::quote:
                    out += "<blockquote>\n" + blocks_html(parse_blocks(block.lines)) + "</blockquote>\n";
                    break;
                case BlockKind::list: {
                    out += block.ordered ? "<ol>\n" : "<ul>\n";
                    for (const std::string& item : block.lines) out += "<li>" + inline_html(item) + "</li>\n";
                    out += block.ordered ? "</ol>\n" : "</ul>\n";
                    break;
                }
                case BlockKind::table: out += table_html(parse_table(block.lines, "")); break;
                case BlockKind::paragraph:
                    if (const auto title = table_title(blocks, k)) {
                        out += table_html(parse_table(blocks[++k].lines, *title));
                    } else if (const auto image = image_only(block)) {
                        // report.md follows a plot with its title and links: the figure's caption.
                        std::string caption = escape_html(image->alt);
                        if (k + 1 < blocks.size() && blocks[k + 1].kind == BlockKind::paragraph &&
                            !image_only(blocks[k + 1]) && joined(blocks[k + 1].lines).starts_with(image->alt))
                            caption = inline_html(joined(blocks[++k].lines));
                        out += figure_html(*image, caption);
                    } else {
                        out += "<p>" + inline_html(joined(block.lines)) + "</p>\n";
                    }
                    break;
            }
        }
        return out;
    }

    std::string heading_html(const Block& block) {
        const std::string& text = block.lines[0];
        const std::string id = id_for(text);
        if (block.level == 1 && title_.empty()) title_ = text;
        if (block.level <= 3 && block.level >= 2) sections_.push_back({block.level, text, id});
        return fmt::format("<h{0} id=\"{1}\">{2}</h{0}>\n", block.level, escape_html(id), inline_html(text));
    }

    std::string table_html(Table table) {
        const std::string id = id_for(fmt::format("table {}", ++tables_));
        if (Section* section = current_section()) ++section->tables;
        link(problem_named(table.title), id);
        // A table with a problem column: a group per problem, each linked from the problem.
        const std::size_t column = std::find(table.header.begin(), table.header.end(), "problem") - table.header.begin();
        const auto problem_of = [&](std::size_t r) { return column < table.rows[r].size() ? table.rows[r][column].text : ""; };
        for (std::size_t r = 0; column < table.header.size() && r < table.rows.size(); ++r) {
            const std::string text = problem_of(r);
            if (r > 0 && problem_of(r - 1) == text) continue;
            const auto problem = std::find(source_.problems.begin(), source_.problems.end(), text);
            if (problem != source_.problems.end())
                link(problem - source_.problems.begin(), fmt::format("{}-g{}", id, table.group_starts.size()));
            table.group_starts.push_back(r);
        }
        return to_html(table, id);
    }

    std::string figure_html(const Image& image, const std::string& caption) {
        const fs::path svg = fs::path(source_.folder / image.src).replace_extension(".svg");
        const std::string id = id_for("plot " + svg.stem().string());
        if (Section* section = current_section()) ++section->plots;
        link(problem_named(image.alt), id);
        const std::string drawing =
            fs::exists(svg) ? inline_svg(svg, id + "-", image.alt)
                            : fmt::format("<p class=\"missing\">Not rendered: {} is missing.</p>",
                                          escape_html(fs::path(image.src).replace_extension(".svg").string()));
        return fmt::format("<figure id=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n", escape_html(id),
                           drawing, caption);
    }

    std::string manifest_html() {
        sections_.push_back({2, "Campaign manifest", "manifest"});
        std::string out = "<h2 id=\"manifest\">Campaign manifest</h2>\n";
        if (!fs::exists(source_.manifest)) return out + "<p>The results folder has no manifest.json.</p>\n";
        nlohmann::ordered_json json;
        try {
            json = nlohmann::ordered_json::parse(read_file(source_.manifest, "manifest"));
        } catch (const nlohmann::json::exception& e) {
            throw Error(fmt::format("{}: not valid JSON ({})", source_.manifest.string(), e.what()));
        }
        return out + fmt::format(
                         "<details>\n<summary>manifest.json: the resolved campaign, the build, the plugins and "
                         "what they declare</summary>\n<pre>{}</pre>\n</details>\n",
                         escape_html(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
    }

    std::string contents_html() const {
        // Sections (h2) with their subsections (h3) as a nested list.
        std::string views;
        bool in_subsections = false;
        for (std::size_t s = 0; s < sections_.size(); ++s) {
            const Section& section = sections_[s];
            if (section.level == 2 && in_subsections) views += "</ul>\n</li>\n";
            if (section.level == 2) in_subsections = false;
            if (section.level == 3 && !in_subsections && s > 0 && sections_[s - 1].level == 2) {
                views += "<ul>\n";
                in_subsections = true;
            }
            std::vector<std::string> counts;
            if (section.tables) counts.push_back(counted(section.tables, "table"));
            if (section.plots) counts.push_back(counted(section.plots, "plot"));
            views += fmt::format("<li><a href=\"#{}\">{}</a>{}", escape_html(section.id), inline_html(section.title),
                                 counts.empty() ? "" : fmt::format(" <span class=\"count\">({})</span>", fmt::join(counts, ", ")));
            const bool has_subsections = section.level == 2 && s + 1 < sections_.size() && sections_[s + 1].level == 3;
            if (!has_subsections) views += "</li>\n";
        }
        if (in_subsections) views += "</ul>\n</li>\n";
        std::string problems;
        for (std::size_t p = 0; p < source_.problems.size(); ++p) {
            std::vector<std::string> anchors;
            for (const Link& l : links_[p])
                anchors.push_back(fmt::format("<a href=\"#{}\">{}</a>", escape_html(l.id), inline_html(l.view)));
            problems += fmt::format("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", escape_html(source_.problems[p]),
                                    fmt::join(anchors, " · "));
        }
        return fmt::format(
            "<nav id=\"contents\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<div class=\"contents\">\n"
            "<section>\n<h3>By view</h3>\n<ul>\n{}</ul>\n</section>\n<section>\n<h3>By problem</h3>\n{}</section>\n"
            "</div>\n</nav>\n",
            views,
            problems.empty() ? "<p>These results have no problem.</p>\n"
                             : "<table class=\"problems\">\n<tbody>\n" + problems + "</tbody>\n</table>\n");
    }

    const HtmlSource& source_;
    std::set<std::string> taken_;
    std::vector<Section> sections_;
    std::vector<std::vector<Link>> links_;  // per problem, the first of each view
    std::string title_;
    std::size_t tables_ = 0;
};

}  // namespace

std::string html_page(const HtmlSource& source) { return PageWriter(source).page(); }

}  // namespace optbench::host::report
