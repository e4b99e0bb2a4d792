#include "data.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <boost/iostreams/filter/lzma.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <ios>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

#include "functions.hpp"

namespace cec2017 {

namespace fs = std::filesystem;

namespace {

constexpr const char* archive_name = "input_data.tar.xz";

[[noreturn]] void fail(const fs::path& archive, const std::string& what) {
    throw std::runtime_error(archive.string() + ": " + what);
}

// Boost's lzma_error says only "lzma error"; its code says what was wrong.
std::string xz_fault(const boost::iostreams::lzma_error& e) {
    constexpr int format_error = 7;  // LZMA_FORMAT_ERROR in <lzma.h>, not named by Boost
    const int code = e.error();
    if (code == format_error) return "not xz data (bad header)";
    if (code == boost::iostreams::lzma::data_error) return "corrupt xz data (damaged archive)";
    if (code == boost::iostreams::lzma::buf_error) return "truncated xz data (damaged archive)";
    if (code == boost::iostreams::lzma::mem_error) return "xz decoder ran out of memory";
    if (code == boost::iostreams::lzma::unsupported_check)
        return "unsupported xz integrity check";
    return "xz error " + std::to_string(code) + " (damaged archive)";
}

// The folder of the loaded library (the plugin, or the test executable it is compiled into).
std::optional<fs::path> this_library_folder() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<const void*>(&this_library_folder), &info) == 0 ||
        info.dli_fname == nullptr || *info.dli_fname == '\0')
        return std::nullopt;
    std::error_code error;
    const fs::path file = fs::canonical(info.dli_fname, error);
    if (error) return std::nullopt;
    return file.parent_path();
}

// One field of a tar header: an octal number, or GNU's base-256 form for large values.
std::uint64_t header_number(const char* field, std::size_t width, const fs::path& archive) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(field);
    if (bytes[0] & 0x80) {
        std::uint64_t v = bytes[0] & 0x3f;
        for (std::size_t i = 1; i < width; ++i) v = (v << 8) | bytes[i];
        return v;
    }
    std::uint64_t v = 0;
    std::size_t i = 0;
    while (i < width && (field[i] == ' ' || field[i] == '\0')) ++i;
    for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i) v = v * 8 + (field[i] - '0');
    for (; i < width; ++i)
        if (field[i] != ' ' && field[i] != '\0')
            fail(archive, "damaged archive: bad number in a tar header");
    return v;
}

std::string header_text(const char* field, std::size_t width) {
    return std::string(field, std::find(field, field + width, '\0'));
}

std::string base_name(const std::string& name) {
    const std::size_t slash = name.find_last_of('/');
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

// The "path" record of a pax extended header, if any.
std::string pax_path(const std::string& records) {
    std::size_t at = 0;
    while (at < records.size()) {
        const std::size_t space = records.find(' ', at);
        if (space == std::string::npos) break;
        std::size_t length = 0;
        std::from_chars(records.data() + at, records.data() + space, length);
        if (length == 0 || at + length > records.size()) break;
        const std::string_view record(records.data() + space + 1, length - (space + 1 - at) - 1);
        if (record.substr(0, 5) == "path=") return std::string(record.substr(5));
        at += length;
    }
    return "";
}

class TarReader {
public:
    TarReader(std::istream& in, const fs::path& archive) : in_(in), archive_(archive) {}

    // Reads exactly n bytes into out (appending), or fails naming what was being read.
    void read(std::string& out, std::uint64_t n, const char* what) {
        const std::size_t start = out.size();
        out.resize(start + n);
        in_.read(out.data() + start, static_cast<std::streamsize>(n));
        if (static_cast<std::uint64_t>(in_.gcount()) != n)
            fail(archive_, std::string("truncated archive (ends inside ") + what + ")");
    }

    void skip(std::uint64_t n, const char* what) {
        std::array<char, 1 << 16> buffer;
        while (n > 0) {
            const auto chunk = static_cast<std::streamsize>(
                std::min<std::uint64_t>(n, buffer.size()));
            in_.read(buffer.data(), chunk);
            if (in_.gcount() != chunk)
                fail(archive_, std::string("truncated archive (ends inside ") + what + ")");
            n -= static_cast<std::uint64_t>(chunk);
        }
    }

    static std::uint64_t padding(std::uint64_t size) { return (512 - size % 512) % 512; }

    // Calls visit(name, size) for each regular file; visit returns true when it has read the
    // member's data itself (read), false to have it skipped. Stops as soon as done() is true,
    // or at the end-of-archive marker.
    template <class Visit, class Done>
    void for_each(Visit&& visit, Done&& done) {
        std::string long_name;
        while (!done()) {
            in_.read(buffer_.data(), 512);
            if (in_.gcount() == 0) fail(archive_, "truncated archive (no end-of-archive marker)");
            if (in_.gcount() != 512) fail(archive_, "truncated archive (ends inside a header)");
            const char* h = buffer_.data();
            if (std::all_of(h, h + 512, [](char c) { return c == '\0'; })) return;
            check_sum(h);
            const std::uint64_t size = header_number(h + 124, 12, archive_);
            const char type = h[156];
            std::string name = header_text(h, 100);
            if (std::string_view(h + 257, 6) == std::string_view("ustar\0", 6)) {
                const std::string prefix = header_text(h + 345, 155);
                if (!prefix.empty()) name = prefix + "/" + name;
            }
            if (!long_name.empty()) name = std::exchange(long_name, std::string());
            if (type == 'L' || type == 'x') {  // GNU long name, pax extended header
                std::string data;
                read(data, size, "a long-name record");
                skip(padding(size), "a long-name record");
                long_name = type == 'L' ? header_text(data.data(), data.size()) : pax_path(data);
                continue;
            }
            const bool regular = type == '0' || type == '\0' || type == '7';
            if (!(regular && visit(name, size))) skip(size, "a member");
            skip(padding(size), "a member");
        }
    }

private:
    void check_sum(const char* h) {
        const std::uint64_t stored = header_number(h + 148, 8, archive_);
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < 512; ++i)
            sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
        if (sum != stored) fail(archive_, "damaged archive: tar header checksum mismatch");
    }

    std::istream& in_;
    const fs::path& archive_;
    std::array<char, 512> buffer_{};
};

std::string count_error(std::size_t found, std::size_t count) {
    return "expected " + std::to_string(count) + " numbers, found " + std::to_string(found);
}

template <class T>
std::vector<T> parse_numbers(std::string_view text, std::size_t count, const std::string& what,
                             bool throw_short) {
    std::vector<T> values;
    values.reserve(count);
    const char* p = text.data();
    const char* end = p + text.size();
    while (values.size() < count) {
        while (p < end && std::isspace(static_cast<unsigned char>(*p))) ++p;
        if (p == end) break;
        if (*p == '+') ++p;  // from_chars takes no '+'; fscanf does
        T v{};
        const auto [next, error] = std::from_chars(p, end, v);
        if (error != std::errc())
            throw std::runtime_error(what + ": not a number at '" +
                                     std::string(p, std::min<std::size_t>(end - p, 20)) + "'");
        values.push_back(v);
        p = next;
    }
    if (throw_short && values.size() < count)
        throw std::runtime_error(what + ": " + count_error(values.size(), count));
    return values;
}

}  // namespace

fs::path archive_path() {
    if (const char* env = std::getenv("OPTBENCH_CEC2017_DATA"); env != nullptr && *env != '\0')
        return env;
    std::vector<fs::path> candidates;
    if (const auto folder = this_library_folder())
        candidates.push_back((*folder / OPTBENCH_CEC2017_PLUGIN_TO_DATA / archive_name)
                                 .lexically_normal());
    candidates.push_back(fs::path(OPTBENCH_CEC2017_INSTALL_DATA_DIR) / archive_name);
    candidates.push_back(fs::path(OPTBENCH_CEC2017_SOURCE_DATA_DIR) / archive_name);
    std::string looked;
    for (const fs::path& candidate : candidates) {
        std::error_code ignored;
        if (fs::is_regular_file(candidate, ignored)) return candidate;
        looked += (looked.empty() ? "" : ", ") + candidate.string();
    }
    throw std::runtime_error(std::string("CEC 2017 data archive ") + archive_name +
                             " not found (looked in " + looked +
                             "; set OPTBENCH_CEC2017_DATA to its path)");
}

std::map<std::string, std::string> read_members(const fs::path& archive,
                                                const std::vector<std::string>& names) {
    std::ifstream raw(archive, std::ios::binary);
    if (!raw) fail(archive, "cannot open the data archive");
    const std::set<std::string> wanted(names.begin(), names.end());
    std::map<std::string, std::string> found;
    try {
        boost::iostreams::filtering_istream in;
        in.push(boost::iostreams::lzma_decompressor(), 1 << 16);
        in.push(raw, 1 << 16);
        // With badbit in exceptions(), istream::read rethrows what the filter throws (the
        // lzma_error caught below) instead of only setting badbit. Set after the pushes: a
        // stream without its device is bad.
        in.exceptions(std::ios::badbit);
        TarReader tar(in, archive);
        tar.for_each(
            [&](const std::string& name, std::uint64_t size) {
                const std::string base = base_name(name);
                if (wanted.count(base) == 0 || found.count(base) != 0) return false;
                tar.read(found[base], size, base.c_str());
                return true;
            },
            [&] { return found.size() == wanted.size(); });
    } catch (const boost::iostreams::lzma_error& e) {
        fail(archive, xz_fault(e));
    } catch (const std::ios_base::failure& e) {
        fail(archive, std::string("read error: ") + e.what());
    }
    for (const std::string& name : names)
        if (found.count(name) == 0)
            fail(archive, "member " + name + " missing (damaged or wrong archive)");
    return found;
}

std::vector<double> parse_reals(const std::string& text, std::size_t count,
                                const std::string& what) {
    return parse_numbers<double>(text, count, what, true);
}

std::vector<int> parse_integers(const std::string& text, std::size_t count,
                                const std::string& what) {
    return parse_numbers<int>(text, count, what, true);
}

std::vector<double> parse_rows(const std::string& text, std::size_t rows, std::size_t count,
                               const std::string& what) {
    std::vector<double> values;
    values.reserve(rows * count);
    std::size_t at = 0;
    for (std::size_t row = 0; row < rows; ++row) {
        if (at >= text.size())
            throw std::runtime_error(what + ": expected " + std::to_string(rows) +
                                     " lines, found " + std::to_string(row));
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        const auto line = parse_numbers<double>(std::string_view(text).substr(at, end - at),
                                                count, what, false);
        if (line.size() < count)
            throw std::runtime_error(what + " line " + std::to_string(row + 1) + ": " +
                                     count_error(line.size(), count));
        values.insert(values.end(), line.begin(), line.end());
        at = end + 1;
    }
    return values;
}

std::vector<std::string> member_names(int function, std::size_t dimension) {
    const std::string d = std::to_string(dimension);
    const std::string f = std::to_string(function);
    std::vector<std::string> names{"M_" + f + "_D" + d + ".txt", "shift_data_" + f + ".txt"};
    if (uses_shuffle(function)) names.push_back("shuffle_data_" + f + "_D" + d + ".txt");
    return names;
}

Data parse(int function, std::size_t dimension, const std::map<std::string, std::string>& members,
           const fs::path& archive) {
    const auto names = member_names(function, dimension);
    const auto member = [&](std::size_t i) -> const std::string& {
        const auto it = members.find(names[i]);
        if (it == members.end()) fail(archive, "member " + names[i] + " missing");
        return it->second;
    };
    const auto in = [&](std::size_t i) { return "member " + names[i]; };
    Data data;
    data.dimension = dimension;
    data.blocks = components(function);
    try {
        data.rotation = parse_reals(member(0), data.blocks * dimension * dimension, in(0));
        data.shift = parse_rows(member(1), data.blocks, dimension, in(1));
        if (uses_shuffle(function)) {
            data.shuffle = parse_integers(member(2), data.blocks * dimension, in(2));
            // Each row must be a permutation of 1..D, or evaluation would index out of range.
            for (std::size_t b = 0; b < data.blocks; ++b) {
                std::vector<bool> seen(dimension, false);
                for (std::size_t i = 0; i < dimension; ++i) {
                    const int v = data.shuffle[b * dimension + i];
                    if (v < 1 || static_cast<std::size_t>(v) > dimension || seen[v - 1])
                        throw std::runtime_error(in(2) + ": row " + std::to_string(b + 1) +
                                                 " is not a permutation of 1.." +
                                                 std::to_string(dimension));
                    seen[v - 1] = true;
                }
            }
        }
    } catch (const std::runtime_error& e) {
        fail(archive, std::string("damaged archive: ") + e.what());
    }
    return data;
}

void verify_archive(const fs::path& archive) {
    constexpr std::uint64_t expected_size = 2933260;
    constexpr std::uint64_t expected_hash = 0x82e71e3aa655ddd1;
    std::ifstream in(archive, std::ios::binary);
    if (!in) fail(archive, "cannot open the data archive");
    std::uint64_t size = 0, hash = 0xcbf29ce484222325;
    std::array<char, 1 << 16> buffer;
    while (in) {
        in.read(buffer.data(), buffer.size());
        const auto count = static_cast<std::size_t>(in.gcount());
        for (std::size_t i = 0; i < count; ++i) {
            hash ^= static_cast<unsigned char>(buffer[i]);
            hash *= 0x100000001b3;
        }
        size += count;
    }
    if (in.bad()) fail(archive, "read error");
    if (size != expected_size || hash != expected_hash) {
        const auto hex = [](std::uint64_t v) {
            char text[16];
            return std::string(text, std::to_chars(text, text + sizeof text, v, 16).ptr);
        };
        fail(archive, "damaged archive: " + std::to_string(size) + " bytes, FNV-1a " +
                          hex(hash) + "; the competition's archive has " +
                          std::to_string(expected_size) + " bytes, FNV-1a " +
                          hex(expected_hash));
    }
}

Data load(const fs::path& archive, int function, std::size_t dimension) {
    verify_archive(archive);
    return parse(function, dimension, read_members(archive, member_names(function, dimension)),
                 archive);
}

}  // namespace cec2017
