#include <doctest/doctest.h>

#include "optbench/sdk/params.hpp"
#include "optbench/sdk/problem.hpp"

using namespace optbench;

namespace {
constexpr abi::ParamSpec specs[] = {
    sdk::real("lr", "1e-3", "learning rate", 0, 1),
    sdk::integer("batch", "0", "minibatch size", 0, 1e6),
    sdk::boolean("verbose", "false", "talk"),
    sdk::choice("covariance", "auto", "auto|full|sep", "covariance model"),
    sdk::text("bounds", "-5:5", "box"),
};

sdk::Params make(sdk::Params::Given given) { return sdk::Params("adam", specs, given); }
}  // namespace

TEST_CASE("defaults apply and given values override them") {
    const auto p = make({{"lr", "0.01"}, {"covariance", "sep"}});
    CHECK(p.real("lr") == 0.01);
    CHECK(p.integer("batch") == 0);
    CHECK_FALSE(p.boolean("verbose"));
    CHECK(p.text("covariance") == "sep");
    CHECK(p.given("lr"));
    CHECK_FALSE(p.given("batch"));
}

TEST_CASE("integers accept exponent notation when integral") {
    CHECK(make({{"batch", "1e3"}}).integer("batch") == 1000);
    CHECK_THROWS_WITH_AS(make({{"batch", "2.5"}}), "parameter 'batch' expects an integer, got '2.5'",
                         sdk::ParamError);
}

TEST_CASE("an unknown key lists the known ones") {
    CHECK_THROWS_WITH_AS(make({{"learning_rate", "1"}}),
                         "unknown parameter 'learning_rate' for 'adam'; known: lr, batch, verbose, "
                         "covariance, bounds",
                         sdk::ParamError);
}

TEST_CASE("wrong types, ranges and choices are one-line errors naming the parameter") {
    CHECK_THROWS_WITH_AS(make({{"lr", "fast"}}), "parameter 'lr' expects a real number, got 'fast'",
                         sdk::ParamError);
    CHECK_THROWS_WITH_AS(make({{"lr", "2"}}), "parameter 'lr' must be in [0, 1], got 2", sdk::ParamError);
    CHECK_THROWS_WITH_AS(make({{"batch", "-1"}}), "parameter 'batch' must be in [0, 1000000], got -1",
                         sdk::ParamError);
    CHECK_THROWS_WITH_AS(make({{"verbose", "maybe"}}),
                         "parameter 'verbose' expects true or false, got 'maybe'", sdk::ParamError);
    CHECK_THROWS_WITH_AS(make({{"covariance", "diag"}}),
                         "parameter 'covariance' must be one of auto|full|sep, got 'diag'",
                         sdk::ParamError);
    CHECK_THROWS_WITH_AS(make({{"lr", "0.1"}, {"lr", "0.2"}}), "parameter 'lr' given twice for 'adam'",
                         sdk::ParamError);
    CHECK_THROWS_AS(make({{"lr", "nan"}}), sdk::ParamError);
}

TEST_CASE("bounds parse as LOW:HIGH") {
    CHECK(sdk::parse_bounds("-2:2") == std::pair{-2.0, 2.0});
    CHECK(sdk::parse_bounds("-inf:inf").first == -std::numeric_limits<double>::infinity());
    CHECK_THROWS_WITH_AS(sdk::parse_bounds("2:-2"), "parameter 'bounds' needs LOW < HIGH, got '2:-2'",
                         sdk::ParamError);
    CHECK_THROWS_WITH_AS(sdk::parse_bounds("-2"),
                         "parameter 'bounds' expects LOW:HIGH (e.g. -5:5), got '-2'", sdk::ParamError);
}
