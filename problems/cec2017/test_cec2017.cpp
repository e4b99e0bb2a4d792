// CEC 2017 against values of the competition's own C code (testdata/reference-public.csv, a
// copy of ../shared/testdata/cec2017/reference-public.csv: f at the shift vector, near it and
// at uniform points for F1, F3..F30 at D = 10, 30, 50, 100).
#include <doctest/doctest.h>

#include <atomic>
#include <boost/iostreams/filter/lzma.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <new>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/spec.hpp"
#include "core/instances.hpp"
#include "results/csv.hpp"
#include "data.hpp"
#include "functions.hpp"
#include "testing.hpp"

// Counts heap allocations, so a test can prove that evaluation allocates nothing. Not inlined:
// GCC 12 would otherwise see malloc and free behind new and delete and warn of a mismatch.
namespace {
std::atomic<long> allocations{0};
}

[[gnu::noinline]] void* operator new(std::size_t size) {
    ++allocations;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace optbench;
namespace fs = std::filesystem;

fs::path source(const char* file) {
    return testing::source_dir() / "problems" / "cec2017" / file;
}

const fs::path& archive() {
    static const fs::path path = source("data/input_data.tar.xz");
    return path;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, separator);) parts.push_back(part);
    return parts;
}

double parse(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

struct Row {
    int function;
    int dimension;
    std::string kind;
    double f;
    std::string x_text;
};

const std::vector<Row>& reference_rows() {
    static const std::vector<Row> rows = [] {
        const host::CsvTable table = host::read_csv(source("testdata/reference-public.csv"));
        REQUIRE(!table.empty());
        REQUIRE(table[0] == std::vector<std::string>{"function", "dim", "kind", "f", "x"});
        std::vector<Row> parsed;
        for (std::size_t i = 1; i < table.size(); ++i) {
            const auto& c = table[i];
            REQUIRE(c.size() == 5);
            parsed.push_back({std::stoi(c[0]), std::stoi(c[1]), c[2], parse(c[3]), c[4]});
        }
        return parsed;
    }();
    return rows;
}

std::vector<int> all_functions() {
    std::vector<int> functions{1};
    for (int f = 3; f <= 30; ++f) functions.push_back(f);
    return functions;
}

// Every (function, dim) the suite defines, built from one pass over the archive.
std::map<std::pair<int, std::size_t>, cec2017::Function> every_instance() {
    std::vector<std::string> names;
    for (int f : all_functions())
        for (std::size_t d : cec2017::dimensions(f))
            for (const std::string& name : cec2017::member_names(f, d))
                if (std::find(names.begin(), names.end(), name) == names.end())
                    names.push_back(name);
    const auto members = cec2017::read_members(archive(), names);
    std::map<std::pair<int, std::size_t>, cec2017::Function> functions;
    for (int f : all_functions())
        for (std::size_t d : cec2017::dimensions(f))
            functions.emplace(std::pair{f, d},
                              cec2017::Function(f, cec2017::parse(f, d, members, archive())));
    return functions;
}

std::string eval_command(const std::string& spec, const fs::path& points) {
    return fmt::format("'{}' eval --problem {} --points '{}'", testing::optbench_exe(), spec,
                       points.string());
}

TEST_CASE("cec2017: every reference value through optbench eval") {
    const auto& rows = reference_rows();
    REQUIRE(rows.size() == 812);
    std::map<std::pair<int, int>, std::vector<const Row*>> groups;
    for (const Row& row : rows) groups[{row.function, row.dimension}].push_back(&row);
    REQUIRE(groups.size() == 29 * 4);

    testing::TempDir dir;
    std::size_t bit_exact = 0, checked = 0;
    double worst = 0;
    std::string worst_row;
    for (const auto& [key, group] : groups) {
        const auto [function, dimension] = key;
        const fs::path points = dir.path() / fmt::format("f{}_d{}.txt", function, dimension);
        {
            std::ofstream out(points);
            for (const Row* row : group) out << row->x_text << '\n';
        }
        std::string output;
        const int status = testing::shell(
            eval_command(fmt::format("cec2017:function={},dim={}", function, dimension), points),
            &output);
        REQUIRE_MESSAGE(status == 0, output);
        const auto lines = split(output, '\n');
        REQUIRE(lines.size() == group.size());
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const Row& row = *group[i];
            const double f = parse(lines[i]);
            const double error = std::fabs(f - row.f) / std::fabs(row.f);
            if (f == row.f) ++bit_exact;
            if (error > worst) {
                worst = error;
                worst_row = fmt::format("F{} D{} {}", function, dimension, row.kind);
            }
            CHECK_MESSAGE(error <= 1e-12, fmt::format("F{} D{} {}: {:.17g} != {:.17g}", function,
                                                      dimension, row.kind, f, row.f));
            ++checked;
        }
    }
    CHECK(checked == rows.size());
    MESSAGE(fmt::format("{} of {} values bit-exact; largest relative error {:.3g}{}", bit_exact,
                        checked, worst, worst_row.empty() ? "" : " at " + worst_row));
    // The platform matches the reference one (gcc 12, glibc 2.36, no FMA): every value agrees
    // bit for bit. On another libm, relax this to the 1e-12 bound checked above.
    CHECK(bit_exact == rows.size());
}

TEST_CASE("cec2017: f* = 100 x function is declared, box [-100, 100]^D, no start, no gradient") {
    const auto& entry = testing::registry().find(optbench::abi::EntryKind::problem, "cec2017");
    for (int function : all_functions()) {
        CAPTURE(function);
        host::ProblemInstance problem(entry,
                                      {{"function", std::to_string(function)}, {"dim", "10"}});
        CHECK(problem.dimension() == 10);
        CHECK(problem.has(optbench::abi::has_optimum_value));
        CHECK(problem.info().optimum_value == 100.0 * function);
        CHECK_FALSE(problem.has(optbench::abi::has_initial_point));
        CHECK_FALSE(problem.has(optbench::abi::has_gradient));
        CHECK(problem.lower(0) == -100.0);
        CHECK(problem.upper(9) == 100.0);
        // Offered only where exact: f(x*) is f* bit for bit (not for F9 at any dim).
        const std::vector<double> x_opt = problem.optimum_point();
        CHECK(x_opt.empty() == (function == 9));
        if (!x_opt.empty()) CHECK(problem.value(x_opt) == 100.0 * function);
    }
}

TEST_CASE("cec2017: the shift vector is offered as optimum exactly where f there is f*") {
    std::size_t offered = 0, instances = 0;
    for (auto& [key, function] : every_instance()) {
        const auto [number, dimension] = key;
        CAPTURE(number);
        CAPTURE(dimension);
        const auto shift = function.shift();
        const std::vector<double> x(shift.begin(), shift.end());
        const double f = function.evaluate(x);
        CHECK(function.optimum_value() == 100.0 * number);
        CHECK(function.optimum_at_shift() == (f == function.optimum_value()));
        // The reference code's f(shift) is never below f* (its error measure asserts so).
        CHECK(f >= function.optimum_value());
        offered += function.optimum_at_shift() ? 1 : 0;
        ++instances;
    }
    CHECK(instances == 9 * 6 + 9 * 4 + 5 + 8 * 6 + 2 * 4);  // 151
    MESSAGE(fmt::format("optimum point offered for {} of {} (function, dim) pairs", offered,
                        instances));
}

TEST_CASE("cec2017: evaluation allocates nothing and ignores bounds as the reference does") {
    for (auto& [key, function] : every_instance()) {
        if (key.second != 10) continue;
        CAPTURE(key.first);
        std::vector<double> x(10);
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = -150.0 + 31.0 * static_cast<double>(i);
        const long before = allocations.load();
        const double f = function.evaluate(x);
        CHECK(allocations.load() == before);
        CHECK(std::isfinite(f));
    }
}

TEST_CASE("cec2017: the README's campaign spec expands to every function at two dims") {
    const auto specs =
        host::expand_all(host::parse_spec_list("cec2017:function=1|3..30,dim=10|30"));
    REQUIRE(specs.size() == 29 * 2);
    for (const auto& spec : specs) {
        CAPTURE(spec.text());
        CHECK(spec.name == "cec2017");
        const int function = std::stoi(spec.params.at(0).second);
        const auto dim = static_cast<std::size_t>(std::stoi(spec.params.at(1).second));
        CHECK_NOTHROW(cec2017::check_instance(function, dim));
    }
}

// The host's message for a bad spec, through `optbench eval` (one line, exit status != 0).
std::string eval_error(const std::string& spec, const std::string& environment = "") {
    testing::TempDir dir;
    const fs::path points = dir.path() / "points.txt";
    std::ofstream(points) << "0 0 0 0 0 0 0 0 0 0\n";
    std::string output;
    const int status = testing::shell(environment + eval_command(spec, points), &output);
    CHECK(status != 0);
    CHECK(output.find('\n') == output.size() - 1);  // one line
    return output;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST_CASE("cec2017: F2 and dimensions without data are refused with one clear line") {
    std::string message = eval_error("cec2017:function=2,dim=10");
    CHECK(message ==
          "optbench eval: problem 'cec2017': parameter 'function': F2 was withdrawn by the "
          "organisers of CEC 2017; use 1 or 3..30\n");

    message = eval_error("cec2017:function=11,dim=2");
    CHECK(contains(message, "parameter 'dim' must be one of 10, 30, 50, 100 for F11"));
    message = eval_error("cec2017:function=1,dim=5");
    CHECK(contains(message, "parameter 'dim' must be one of 2, 10, 20, 30, 50, 100 for F1"));
    message = eval_error("cec2017:function=29,dim=20");
    CHECK(contains(message, "parameter 'dim' must be one of 10, 30, 50, 100 for F29"));
    message = eval_error("cec2017:function=20,dim=2");
    CHECK(contains(message, "parameter 'dim' must be one of 10, 20, 30, 50, 100 for F20"));
    message = eval_error("cec2017:function=31,dim=10");
    CHECK(contains(message, "parameter 'function' must be in [1, 30], got 31"));
    message = eval_error("cec2017:function=1,dim=101");
    CHECK(contains(message, "parameter 'dim' must be in [2, 100], got 101"));

    // The library's own entry point checks too.
    CHECK_THROWS_AS(cec2017::check_instance(2, 10), std::invalid_argument);
    CHECK_THROWS_AS(cec2017::check_instance(19, 20), std::invalid_argument);
    CHECK_THROWS_AS(cec2017::check_instance(0, 10), std::invalid_argument);
    CHECK_NOTHROW(cec2017::check_instance(20, 20));
    CHECK_NOTHROW(cec2017::check_instance(28, 2));
}

// The archive's bytes, to damage copies of.
std::string archive_bytes() {
    std::ifstream in(archive(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST_CASE("cec2017: a missing or damaged archive is one line that names the file") {
    testing::TempDir dir;
    const std::string bytes = archive_bytes();
    REQUIRE(bytes.size() == 2933260);
    std::string flipped = bytes;
    flipped[bytes.size() - 1000] ^= 0x10;  // near the end: after every member F1 needs
    const std::map<std::string, std::string> damaged{
        {"truncated.tar.xz", bytes.substr(0, bytes.size() / 2)},
        {"flipped.tar.xz", flipped},
        {"text.tar.xz", "not an archive\n"},
        {"empty.tar.xz", ""},
    };
    for (const auto& [name, content] : damaged) {
        CAPTURE(name);
        const fs::path file = dir.path() / name;
        write(file, content);
        const std::string message =
            eval_error("cec2017:function=1,dim=10",
                       fmt::format("OPTBENCH_CEC2017_DATA='{}' ", file.string()));
        CHECK(contains(message, "optbench eval: problem 'cec2017': " + file.string() +
                                    ": damaged archive: "));
        CHECK(contains(message, "the competition's archive has 2933260 bytes"));
    }
    const fs::path missing = dir.path() / "missing.tar.xz";
    const std::string message = eval_error(
        "cec2017:function=1,dim=10", fmt::format("OPTBENCH_CEC2017_DATA='{}' ", missing.string()));
    CHECK(message == "optbench eval: problem 'cec2017': " + missing.string() +
                         ": cannot open the data archive\n");
}

// A .tar.xz made here: members (name, content), optionally with a corrupted header.
std::string make_tar_xz(const std::vector<std::pair<std::string, std::string>>& members,
                        bool bad_checksum = false, bool end_marker = true) {
    std::string tar;
    for (const auto& [name, content] : members) {
        char header[512] = {};
        std::strncpy(header, name.c_str(), 99);
        std::snprintf(header + 100, 8, "%07o", 0644);
        std::snprintf(header + 124, 12, "%011o", static_cast<unsigned>(content.size()));
        header[156] = '0';
        std::memcpy(header + 257, "ustar\0" "00", 8);
        std::memset(header + 148, ' ', 8);
        unsigned sum = 0;
        for (char c : header) sum += static_cast<unsigned char>(c);
        std::snprintf(header + 148, 8, "%06o", sum + (bad_checksum ? 1 : 0));
        tar.append(header, 512);
        tar += content;
        tar.append((512 - content.size() % 512) % 512, '\0');
    }
    if (end_marker) tar.append(1024, '\0');
    std::ostringstream xz;
    {
        boost::iostreams::filtering_ostream out;
        out.push(boost::iostreams::lzma_compressor());
        out.push(xz);
        out.write(tar.data(), static_cast<std::streamsize>(tar.size()));
    }
    return xz.str();
}

std::string read_error(const fs::path& file, const std::vector<std::string>& names) {
    try {
        cec2017::read_members(file, names);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

TEST_CASE("cec2017: the tar reader takes what it needs and refuses damaged archives") {
    testing::TempDir dir;
    const fs::path file = dir.path() / "small.tar.xz";
    write(file, make_tar_xz({{"input_data/a.txt", "1 2 3\n"}, {"input_data/b.txt", "4 5\n"}}));
    const auto members = cec2017::read_members(file, {"b.txt"});
    REQUIRE(members.size() == 1);
    CHECK(members.at("b.txt") == "4 5\n");
    CHECK(cec2017::parse_reals(members.at("b.txt"), 2, "b") == std::vector<double>{4, 5});

    CHECK(read_error(file, {"c.txt"}) ==
          file.string() + ": member c.txt missing (damaged or wrong archive)");

    write(file, make_tar_xz({{"input_data/a.txt", "1 2 3\n"}}, true));
    CHECK(read_error(file, {"a.txt"}) ==
          file.string() + ": damaged archive: tar header checksum mismatch");

    write(file, make_tar_xz({{"input_data/a.txt", "1 2 3\n"}}, false, false));
    CHECK(read_error(file, {"c.txt"}) ==
          file.string() + ": truncated archive (no end-of-archive marker)");

    const std::string whole = make_tar_xz({{"input_data/a.txt", std::string(100000, '7')}});
    write(file, whole.substr(0, whole.size() / 2));
    CHECK(read_error(file, {"a.txt"}) == file.string() + ": truncated xz data (damaged archive)");

    write(file, "plain text, not xz");
    CHECK(read_error(file, {"a.txt"}) == file.string() + ": not xz data (bad header)");

    CHECK_THROWS_WITH(cec2017::parse_reals("1 2 x", 3, "member m"),
                      "member m: not a number at 'x'");
    CHECK_THROWS_WITH(cec2017::parse_reals("1 2", 3, "member m"),
                      "member m: expected 3 numbers, found 2");
    CHECK(cec2017::parse_rows("1 2 3\n4 5 6\n", 2, 2, "m") == std::vector<double>{1, 2, 4, 5});
}

}  // namespace
