// Tidy CSV: RFC 4180 quoting, shortest round-trip numbers, atomic file writes, and the one
// reader every results file goes through.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace optbench::host {

// Quotes a field when it holds a comma, quote, CR or LF (quotes doubled).
std::string csv_field(std::string_view text);
// Shortest text that parses back to the same double; "" for NaN, "inf"/"-inf" for infinities.
std::string csv_number(double value);
std::string csv_line(const std::vector<std::string>& fields);

// Calls visit(fields, line) for every non-blank row of `text` (line: the 1-based line the row
// starts on). Quoted fields may hold commas, quotes and newlines. Rows without a quote are split
// in place: trace.csv and stats.csv can hold millions of rows.
void for_each_csv_row(std::string_view text,
                      const std::function<void(const std::vector<std::string_view>& fields, std::size_t line)>& visit);

using CsvTable = std::vector<std::vector<std::string>>;  // first row: header
CsvTable parse_csv(std::string_view text);
CsvTable read_csv(const std::filesystem::path& file);

// A header's columns by name, and the fields of one row read with errors that name the
// source, line and column and say what was expected.
class CsvColumns {
public:
    CsvColumns(std::vector<std::string> header, std::string source);
    // Throws Error when the header has no such column.
    std::size_t require(std::string_view name) const;
    bool has(std::string_view name) const { return index_.count(std::string(name)) > 0; }
    void check_width(std::size_t fields, std::size_t line) const;
    const std::vector<std::string>& header() const { return header_; }
    const std::string& source() const { return source_; }

    [[noreturn]] void reject(std::string_view text, std::size_t line, std::size_t column,
                             std::string_view expected) const;
    // "" is NaN (unknown); anything else a number ("inf" allowed).
    double number(std::string_view text, std::size_t line, std::size_t column) const;
    // A count, cost or duration: finite and >= 0.
    double count(std::string_view text, std::size_t line, std::size_t column) const;
    template <class Whole>
    Whole whole(std::string_view text, std::size_t line, std::size_t column) const;

private:
    std::vector<std::string> header_;
    std::string source_;
    std::unordered_map<std::string, std::size_t> index_;
};

// Writes to a temporary file in the same folder, fsyncs it, then renames: readers never see
// half a file, and after a power loss the name never points at a partial one. With
// sync_folder the folder is fsync'd too, which makes the rename (and every earlier rename in
// that folder) durable; a writer of several files may leave that to the last one.
void write_file_atomically(const std::filesystem::path& file, std::string_view content, bool sync_folder = true);
// The content of a file. Throws Error naming the file as a `kind` ("campaign file X") and why it
// cannot be read: a folder (which a stream would read as empty), or the system's reason.
std::string read_file(const std::filesystem::path& file, std::string_view kind = "file");
// read_file for a file of text lines; a NUL byte (a binary file) is an Error too, since a
// message quoting the line would end at it.
std::string read_text_file(const std::filesystem::path& file, std::string_view kind);

}  // namespace optbench::host
