#include <doctest/doctest.h>

#include "optbench/host/text.hpp"

using namespace optbench::host;

TEST_CASE("text helpers: trim, shell quoting, counts in the right number") {
    CHECK(trim("  a b \t\n") == "a b");
    CHECK(trim(" \t ").empty());
    CHECK(shell_quote("it's") == "'it'\\''s'");
    CHECK(counted(0, "run") == "0 runs");
    CHECK(counted(1, "run") == "1 run");
    CHECK(counted(2, "optimizer") == "2 optimizers");
}
