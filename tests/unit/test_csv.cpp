#include <doctest/doctest.h>

#include <cmath>

#include "results/csv.hpp"
#include "testing.hpp"

using namespace optbench::host;

TEST_CASE("fields with commas, quotes and newlines are quoted and read back") {
    const std::vector<std::string> fields = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""};
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    const CsvTable table = parse_csv(csv_line(fields) + csv_line({"x", "y", "z", "w", "v", "u"}));
    REQUIRE(table.size() == 2);
    CHECK(table[0] == fields);
}

TEST_CASE("numbers round-trip exactly") {
    for (double v : {0.1, 1.0 / 3, 1e-300, 123456789.125, -2.5e17}) {
        const std::string text = csv_number(v);
        CHECK(std::strtod(text.c_str(), nullptr) == v);
    }
    CHECK(csv_number(std::nan("")) == "");
    CHECK(csv_number(INFINITY) == "inf");
}

TEST_CASE("atomic writes leave either the old or the new file") {
    optbench::testing::TempDir dir;
    const auto file = dir.path() / "runs.csv";
    write_file_atomically(file, "old\n");
    write_file_atomically(file, "new\n");
    CHECK(read_file(file) == "new\n");
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
    CHECK(entries == 1);
    CHECK_THROWS_AS(write_file_atomically(dir.path() / "missing" / "x.csv", "x"), Error);
}
