// Tidy CSV: RFC 4180 quoting, shortest round-trip numbers, atomic file writes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace optbench::host {

// Quotes a field when it holds a comma, quote, CR or LF (quotes doubled).
std::string csv_field(std::string_view text);
// Shortest text that parses back to the same double; "" for NaN, "inf"/"-inf" for infinities.
std::string csv_number(double value);
std::string csv_line(const std::vector<std::string>& fields);

using CsvTable = std::vector<std::vector<std::string>>;  // first row: header
// Parses CSV text (quoted fields may hold commas, quotes and newlines).
CsvTable parse_csv(std::string_view text);
CsvTable read_csv(const std::filesystem::path& file);

// Writes to a temporary file in the same folder, then renames: readers never see half a file.
void write_file_atomically(const std::filesystem::path& file, std::string_view content);
std::string read_file(const std::filesystem::path& file);

}  // namespace optbench::host
