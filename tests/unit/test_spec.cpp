#include <doctest/doctest.h>

#include "base/error.hpp"
#include "base/spec.hpp"

using namespace optbench::host;

TEST_CASE("a comma starts a new spec unless the token is a parameter of the previous one") {
    const auto two = parse_spec_list("sphere:dim=10,rastrigin:dim=10");
    REQUIRE(two.size() == 2);
    CHECK(two[1].name == "rastrigin");
    const auto one = parse_spec_list("rastrigin:dim=10,bounds=-2:2");
    REQUIRE(one.size() == 1);
    CHECK(one[0].params == optbench::sdk::Params::Given{{"dim", "10"}, {"bounds", "-2:2"}});
    const auto mixed = parse_spec_list("random_search, cmaes:covariance=sep,restarts=ipop ,adam");
    REQUIRE(mixed.size() == 3);
    CHECK(mixed[1].text() == "cmaes:covariance=sep,restarts=ipop");
    CHECK(mixed[2].name == "adam");
    CHECK(parse_spec_list("synthetic/sphere")[0].name == "synthetic/sphere");
}

TEST_CASE("spec text parses back to the same spec") {
    for (const char* text : {"sphere", "sphere:dim=3", "mnist_mlp:hidden=32,objective_size=5000"})
        CHECK(parse_spec_list(text)[0].text() == text);
}

TEST_CASE("malformed lists are one-line errors") {
    CHECK_THROWS_AS(parse_spec_list("dim=3"), Error);
    CHECK_THROWS_AS(parse_spec_list("sphere,,rastrigin"), Error);
    CHECK_THROWS_AS(parse_spec_list("sphere:dim"), Error);
    CHECK_THROWS_AS(parse_spec_list("sphere:dim="), Error);
    CHECK_THROWS_AS(parse_spec_list(":dim=3"), Error);
}

TEST_CASE("lists and ranges expand in order") {
    const auto specs = expand_all(parse_spec_list("bbob:function=1..3,instance=1|2,dim=2|5|10"));
    CHECK(specs.size() == 18);
    CHECK(specs.front().text() == "bbob:function=1,instance=1,dim=2");
    CHECK(specs[1].text() == "bbob:function=1,instance=1,dim=5");
    CHECK(specs.back().text() == "bbob:function=3,instance=2,dim=10");
    CHECK(expand_all(parse_spec_list("rastrigin:bounds=-5:5")).size() == 1);
    CHECK_THROWS_AS(expand_all(parse_spec_list("bbob:function=5..1")), Error);
}

TEST_CASE("a range or an expansion too large to build says how large it would be") {
    CHECK_THROWS_WITH_AS(expand_all(parse_spec_list("sphere:dim=1..100000000")),
                         "range '1..100000000' has 100,000,000 values; at most 1,000,000 are allowed", Error);
    CHECK_THROWS_WITH_AS(expand_all(parse_spec_list("sphere:dim=-9223372036854775808..9223372036854775807")),
                         doctest::Contains("has 1.84467e+19 values; at most 1,000,000 are allowed"), Error);
    CHECK_THROWS_WITH_AS(expand_all(parse_spec_list("suite:function=1..1000000,instance=1..1000")),
                         "'suite:function=1..1000000,instance=1..1000' expands to 1,000,000,000 specs; at most "
                         "10,000,000 are allowed",
                         Error);
    CHECK(expansion_size(parse_spec_list("suite:function=1..24,instance=1|3..5,dim=2|5|10")[0]) == 24 * 4 * 3);
    CHECK(expansion_size(parse_spec_list("suite:a=1..1000000,b=1..1000000,c=1..1000000")[0]) == 1e18);
    CHECK(expand_all(parse_spec_list("sphere:dim=9223372036854775806..9223372036854775807")).size() == 2);
}
