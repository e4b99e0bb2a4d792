#include <doctest/doctest.h>

#include "base/text.hpp"

using namespace optbench::host;

TEST_CASE("text helpers: trim, shell quoting, counts in the right number") {
    CHECK(trim("  a b \t\n") == "a b");
    CHECK(trim(" \t ").empty());
    CHECK(shell_quote("it's") == "'it'\\''s'");
    CHECK(counted(0, "run") == "0 runs");
    CHECK(counted(1, "run") == "1 run");
    CHECK(counted(2, "optimizer") == "2 optimizers");
}

TEST_CASE("portable names: what every file system accepts, made from any text, made distinct") {
    for (const char* name : {"a", "split.csv", "random_search", "v1.2-rc3", "A_b"}) CHECK(is_portable_name(name));
    for (const char* name : {"", ".", "..", ".hidden", "-x", "x.", "x_", "a/b", "a:b", "a b", "\xc3\xa9"}) {
        CAPTURE(name);
        CHECK_FALSE(is_portable_name(name));
    }
    CHECK(portable_name("adam:gradient=fd") == "adam_gradient_fd");
    CHECK(portable_name("mnist_mlp:data=fashion") == "mnist_mlp_data_fashion");
    CHECK(portable_name("../a//b:: c.") == "a_b_c");
    CHECK(portable_name("f:x=-1.5") == "f_x_-1.5");
    CHECK(portable_name(":/").empty());
    for (const char* text : {"adam:gradient=fd", "../a//b:: c.", "x=-", "-_.a"}) CHECK(is_portable_name(portable_name(text)));
    std::set<std::string> taken;
    CHECK(distinct_portable_name("f:a=1", taken) == "f_a_1");
    CHECK(distinct_portable_name("f a 1", taken) == "f_a_1_2");
    CHECK(distinct_portable_name("f/a/1", taken) == "f_a_1_3");
    CHECK(taken.size() == 3);
}
