#include "results/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "base/error.hpp"

namespace optbench::host {

namespace fs = std::filesystem;

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

std::string csv_number(double value) {
    if (std::isnan(value)) return "";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return fmt::format("{}", value);
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) line += ',';
        line += csv_field(fields[i]);
    }
    return line + '\n';
}

void for_each_csv_row(std::string_view text,
                      const std::function<void(const std::vector<std::string_view>&, std::size_t)>& visit) {
    std::vector<std::string_view> fields;
    std::vector<std::string> unquoted;
    std::size_t line = 0;
    for (std::size_t start = 0; start < text.size();) {
        // A row ends at the first newline outside quotes.
        std::size_t end = start, quotes = 0;
        do {
            const std::size_t from = end;
            end = std::min(text.find('\n', end), text.size());
            quotes += static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(from),
                                                          text.begin() + static_cast<std::ptrdiff_t>(end), '"'));
            if (quotes % 2) ++end;
        } while (quotes % 2 && end < text.size());
        std::string_view row = text.substr(start, std::min(end, text.size()) - start);
        const std::size_t first_line = ++line;
        line += static_cast<std::size_t>(std::count(row.begin(), row.end(), '\n'));
        start = end + 1;
        if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
        if (row.empty()) continue;
        fields.clear();
        if (row.find('"') == std::string_view::npos) {
            for (std::size_t from = 0;;) {
                const std::size_t comma = row.find(',', from);
                fields.push_back(row.substr(from, comma == std::string_view::npos ? row.size() - from : comma - from));
                if (comma == std::string_view::npos) break;
                from = comma + 1;
            }
        } else {
            unquoted.assign(1, "");
            bool quoted = false;
            for (std::size_t i = 0; i < row.size(); ++i) {
                const char c = row[i];
                if (quoted && c == '"' && i + 1 < row.size() && row[i + 1] == '"') {
                    unquoted.back() += '"';
                    ++i;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    unquoted.emplace_back();
                } else {
                    unquoted.back() += c;
                }
            }
            fields.assign(unquoted.begin(), unquoted.end());
        }
        visit(fields, first_line);
    }
}

CsvTable parse_csv(std::string_view text) {
    CsvTable table;
    for_each_csv_row(text, [&](const std::vector<std::string_view>& fields, std::size_t) {
        table.emplace_back(fields.begin(), fields.end());
    });
    return table;
}

CsvColumns::CsvColumns(std::vector<std::string> header, std::string source)
    : header_(std::move(header)), source_(std::move(source)) {
    for (std::size_t i = 0; i < header_.size(); ++i) index_.emplace(header_[i], i);
}

std::size_t CsvColumns::require(std::string_view name) const {
    const auto it = index_.find(std::string(name));
    if (it == index_.end())
        throw Error(fmt::format("{}: no column '{}' (expected a file written by optbench run)", source_, name));
    return it->second;
}

void CsvColumns::check_width(std::size_t fields, std::size_t line) const {
    if (fields != header_.size())
        throw Error(fmt::format("{} line {}: {} fields, the header has {}", source_, line, fields, header_.size()));
}

void CsvColumns::reject(std::string_view text, std::size_t line, std::size_t column, std::string_view expected) const {
    throw Error(fmt::format("{} line {} column {}: '{}', expected {}", source_, line, header_.at(column), text,
                            expected));
}

double CsvColumns::number(std::string_view text, std::size_t line, std::size_t column) const {
    if (text.empty()) return std::numeric_limits<double>::quiet_NaN();
    const std::string t(text);
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size()) reject(text, line, column, "a number");
    return v;
}

double CsvColumns::count(std::string_view text, std::size_t line, std::size_t column) const {
    const double v = number(text, line, column);
    if (!(v >= 0 && std::isfinite(v))) reject(text, line, column, "a finite number >= 0");
    return v;
}

template <class Whole>
Whole CsvColumns::whole(std::string_view text, std::size_t line, std::size_t column) const {
    Whole value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        reject(text, line, column, "a whole number");
    return value;
}
template int CsvColumns::whole<int>(std::string_view, std::size_t, std::size_t) const;
template std::int64_t CsvColumns::whole<std::int64_t>(std::string_view, std::size_t, std::size_t) const;
template std::size_t CsvColumns::whole<std::size_t>(std::string_view, std::size_t, std::size_t) const;

std::string read_file(const fs::path& file, std::string_view kind) {
    if (file.empty()) throw Error(fmt::format("{} '' names no file: expected a path", kind));
    std::error_code ignored;
    if (fs::is_directory(file, ignored))
        throw Error(fmt::format("{} {} is a directory, expected a file", kind, file.string()));
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(fmt::format("{} {} cannot be read: {}", kind, file.string(), std::strerror(errno)));
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string read_text_file(const fs::path& file, std::string_view kind) {
    std::string content = read_file(file, kind);
    if (const std::size_t nul = content.find('\0'); nul != std::string::npos)
        throw Error(fmt::format("{} {} holds a NUL byte (at byte {}): expected a text file", kind, file.string(), nul));
    return content;
}

CsvTable read_csv(const fs::path& file) { return parse_csv(read_file(file)); }

namespace {

// Closes fd on every path out of write_file_atomically.
struct FileDescriptor {
    int fd;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

void write_file_atomically(const fs::path& file, std::string_view content, bool sync_folder) {
    const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
    const fs::path temporary = folder / fmt::format(".{}.tmp{}", file.filename().string(), ::getpid());
    const auto fail = [&](const char* doing) {
        const int reason = errno;
        ::unlink(temporary.c_str());
        throw Error(fmt::format("cannot write {}: {} failed: {}", file.string(), doing, std::strerror(reason)));
    };
    {
        FileDescriptor out{::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
        if (out.fd < 0) fail("creating a file in its folder");
        for (std::size_t written = 0; written < content.size();) {
            const ssize_t n = ::write(out.fd, content.data() + written, content.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) fail("writing");
            written += static_cast<std::size_t>(n);
        }
        // On disk before the rename makes it visible: after a power loss the name never
        // points at an empty or partial file.
        if (::fsync(out.fd) != 0) fail("fsync");
        const int fd = out.fd;
        out.fd = -1;
        if (::close(fd) != 0) fail("closing");
    }
    if (::rename(temporary.c_str(), file.c_str()) != 0) fail("renaming the temporary file");
    if (!sync_folder) return;
    FileDescriptor directory{::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (directory.fd >= 0) ::fsync(directory.fd);
}

}  // namespace optbench::host
