// BBOB against values computed by COCO itself (testdata/, see testdata/SPEC.md section 1).
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <new>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "functions.hpp"
#include "legacy_random.hpp"
#include "core/instances.hpp"
#include "base/spec.hpp"
#include "testing.hpp"

// Counts heap allocations, so a test can prove that evaluation allocates nothing.
namespace {
std::atomic<long> allocations{0};
}

void* operator new(std::size_t size) {
    ++allocations;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace optbench;

std::filesystem::path testdata(const char* file) {
    return testing::source_dir() / "problems" / "bbob" / "testdata" / file;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, separator);) parts.push_back(part);
    return parts;
}

// %.17g text back to the same double.
double parse(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

std::vector<double> parse_list(const std::string& text) {
    std::vector<double> values;
    for (const std::string& token : split(text, ' '))
        if (!token.empty()) values.push_back(parse(token));
    return values;
}

struct Row {
    int function;
    int instance;
    int dimension;
    std::string point;
    std::string x_text;
    std::vector<double> x;
    double f;
    double f_opt;
    std::vector<double> x_opt;
};

const std::vector<Row>& public_vectors() {
    static const std::vector<Row> rows = [] {
        std::ifstream in(testdata("vectors-public.csv"));
        REQUIRE(in);
        std::vector<Row> parsed;
        std::string line;
        std::getline(in, line);
        REQUIRE(line == "function,instance,dimension,point,x,f,f_opt,x_opt");
        while (std::getline(in, line)) {
            const auto c = split(line, ',');
            REQUIRE(c.size() == 8);
            parsed.push_back({std::stoi(c[0]), std::stoi(c[1]), std::stoi(c[2]), c[3], c[4],
                              parse_list(c[4]), parse(c[5]), parse(c[6]), parse_list(c[7])});
        }
        return parsed;
    }();
    return rows;
}

sdk::Params::Given bbob_params(int function, long long instance, long long dimension) {
    return {{"function", std::to_string(function)},
            {"instance", std::to_string(instance)},
            {"dim", std::to_string(dimension)}};
}

const host::PluginEntry& bbob_entry() {
    return testing::registry().find(abi::EntryKind::problem, "bbob");
}

host::ProblemInstance make_problem(const sdk::Params::Given& params) {
    return host::ProblemInstance(bbob_entry(), params);
}

// |f - reference| relative to max(1, |reference|) (SPEC pitfall P7).
double relative_error(double f, double reference) {
    return std::fabs(f - reference) / std::max(1.0, std::fabs(reference));
}

TEST_CASE("bbob: every public COCO vector through the path of optbench eval") {
    const auto& rows = public_vectors();
    REQUIRE(rows.size() == 6480);
    std::size_t bit_exact = 0, problems = 0;
    double worst = 0;
    std::string worst_row;
    std::map<std::tuple<int, int, int>, std::unique_ptr<host::ProblemInstance>> cache;
    for (const Row& row : rows) {
        auto& problem = cache[{row.function, row.instance, row.dimension}];
        if (!problem) {
            problem = std::make_unique<host::ProblemInstance>(
                bbob_entry(), bbob_params(row.function, row.instance, row.dimension));
            ++problems;
            CHECK(problem->dimension() == static_cast<std::size_t>(row.dimension));
            CHECK(problem->info().optimum_value == row.f_opt);
            CHECK(problem->optimum_point() == row.x_opt);
        }
        const double f = problem->value(row.x);
        if (f == row.f) ++bit_exact;
        const double error = relative_error(f, row.f);
        if (error > worst) {
            worst = error;
            worst_row =
                fmt::format("f{} i{} D{} {}", row.function, row.instance, row.dimension, row.point);
        }
        CHECK_MESSAGE(error <= 1e-12,
                      fmt::format("f{} i{} D{} {}: {:.17g} != {:.17g}", row.function, row.instance,
                                  row.dimension, row.point, f, row.f));
    }
    CHECK(problems == 720);
    MESSAGE(fmt::format("{} of {} values bit-exact; largest relative error {:.3g}{}", bit_exact,
                        rows.size(), worst, worst_row.empty() ? "" : " at " + worst_row));
    // The platform matches the reference one (gcc 12, glibc 2.36, no FMA): all values agree bit
    // for bit. On another libm, relax this to the 1e-12 bound checked above.
    CHECK(bit_exact == rows.size());
}

TEST_CASE("bbob: f(x_opt) is f_opt, except f20 whose reported optimum is rounded") {
    for (const Row& row : public_vectors()) {
        if (row.point != "xopt") continue;
        CAPTURE(row.function);
        CAPTURE(row.instance);
        CAPTURE(row.dimension);
        auto function = bbob::make_function(row.function, row.instance,
                                            static_cast<std::size_t>(row.dimension));
        const auto x_opt = function->optimum_point();
        const double f = function->evaluate(x_opt);
        CHECK(f == row.f);
        if (row.function != 20) {
            CHECK(f == function->optimum_value());
        } else {
            // COCO's f20 optimum lies within a few ulp of its best value (SPEC pitfall P5).
            CHECK(std::fabs(f - function->optimum_value()) <=
                  4 * std::numeric_limits<double>::epsilon() *
                      std::fabs(function->optimum_value()));
        }
    }
}

TEST_CASE("bbob: the legacy generators reproduce COCO's own output") {
    std::ifstream in(testdata("rng-reference.csv"));
    REQUIRE(in);
    std::string line;
    std::getline(in, line);
    REQUIRE(line == "kind,seed,n,values");
    std::map<std::string, int> checked;
    while (std::getline(in, line)) {
        const auto c = split(line, ',');
        REQUIRE(c.size() == 4);
        const std::string& kind = c[0];
        const long long seed = std::stoll(c[1]);
        const long long n = std::stoll(c[2]);
        const std::vector<double> expected = parse_list(c[3]);
        CAPTURE(line.substr(0, 40));
        const auto size = static_cast<std::size_t>(n);
        if (kind == "unif") {
            CHECK(bbob::legacy::uniform(size, seed) == expected);
        } else if (kind == "gauss") {
            CHECK(bbob::legacy::gauss(size, seed) == expected);
        } else if (kind == "xopt") {
            CHECK(bbob::legacy::xopt(seed, size) == expected);
        } else if (kind == "rotation_rowmajor") {
            const bbob::Matrix r = bbob::legacy::rotation(seed, size);
            std::vector<double> entries;
            for (std::size_t i = 0; i < size; ++i)
                for (std::size_t j = 0; j < size; ++j) entries.push_back(r(i, j));
            CHECK(entries == expected);
        } else if (kind == "fopt_legacy") {
            REQUIRE(expected.size() == 1);
            CHECK(bbob::legacy::fopt(static_cast<int>(seed), n) == expected[0]);
        } else {
            FAIL("unknown kind " << kind);
        }
        ++checked[kind];
    }
    CHECK(checked["unif"] == 13);
    CHECK(checked["gauss"] == 13);
    CHECK(checked["xopt"] == 13);
    CHECK(checked["rotation_rowmajor"] == 22);
    CHECK(checked["fopt_legacy"] == 360);
}

TEST_CASE("bbob: optbench eval prints COCO's values") {
    const int function = 21, instance = 3, dimension = 10;
    testing::TempDir dir;
    const auto points = dir.path() / "points.txt";
    std::vector<double> expected;
    {
        std::ofstream out(points);
        for (const Row& row : public_vectors())
            if (row.function == function && row.instance == instance &&
                row.dimension == dimension) {
                out << row.x_text << '\n';
                expected.push_back(row.f);
            }
    }
    REQUIRE(expected.size() == 9);
    std::string output;
    const int status = testing::shell(
        fmt::format("'{}' eval --problem bbob:function={},instance={},dim={} --points '{}'",
                    testing::optbench_exe(), function, instance, dimension, points.string()),
        &output);
    REQUIRE_MESSAGE(status == 0, output);
    const auto lines = split(output, '\n');
    REQUIRE(lines.size() == expected.size());
    for (std::size_t i = 0; i < lines.size(); ++i) CHECK(parse(lines[i]) == expected[i]);
}

TEST_CASE("bbob: NaN and infinite coordinates are handled as coco_evaluate_function does") {
    auto problem = make_problem(bbob_params(3, 1, 3));
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(problem.value(std::vector<double>{0, -inf, 1}) == inf);
    CHECK(problem.value(std::vector<double>{nan, inf, 1}) == inf);
    CHECK(std::isnan(problem.value(std::vector<double>{0, nan, 1})));
    // A huge finite coordinate overflows inside: f3 keeps +inf where cos(inf) would give NaN
    // (on coordinate 0, T_asy's exponent 0 * inf is NaN, in COCO too).
    CHECK(problem.value(std::vector<double>{0, 1e300, 0}) == inf);
    CHECK(std::isnan(problem.value(std::vector<double>{1e300, 0, 0})));
}

TEST_CASE("bbob: box, start point and optimum as COCO reports them") {
    auto problem = make_problem(bbob_params(8, 2, 5));
    CHECK(problem.dimension() == 5);
    CHECK(problem.lower(0) == -5.0);
    CHECK(problem.upper(4) == 5.0);
    CHECK(problem.initial_point() == std::vector<double>(5, 0.0));
    CHECK(problem.has(abi::has_optimum_value));
    CHECK(problem.has(abi::has_optimum_point));
    CHECK(problem.info().optimum_value == -1000.0);  // SPEC section 7: f8, instance 2
}

TEST_CASE("bbob: evaluation allocates nothing") {
    for (int function = 1; function <= bbob::function_count; ++function) {
        CAPTURE(function);
        auto f = bbob::make_function(function, 1, 10);
        const std::vector<double> x{-6, -4, -2, -1, 0, 0.5, 1, 2, 4, 6};
        const long before = allocations.load();
        const double value = f->evaluate(x);
        CHECK(allocations.load() == before);
        CHECK(std::isfinite(value));
    }
}

TEST_CASE("bbob: a campaign spec expands to problems that all build") {
    const auto specs =
        host::expand_all(host::parse_spec_list("bbob:function=1..24,instance=1..5,dim=2|5|10"));
    REQUIRE(specs.size() == 24 * 5 * 3);
    for (const auto& spec : specs) {
        CAPTURE(spec.text());
        CHECK(spec.name == "bbob");
        CHECK_NOTHROW(make_problem(spec.params));
    }
}

// The host's message for a bad spec: one line naming the parameter and what it expects.
std::string creation_error(const sdk::Params::Given& params) {
    try {
        make_problem(params);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

TEST_CASE("bbob: bad parameters give one clear line") {
    const struct {
        sdk::Params::Given params;
        const char* expected;
    } cases[] = {
        {bbob_params(0, 1, 10), "parameter 'function' must be in [1, 24], got 0"},
        {bbob_params(25, 1, 10), "parameter 'function' must be in [1, 24], got 25"},
        {bbob_params(1, 0, 10), "parameter 'instance' must be in [1, 214648], got 0"},
        {bbob_params(1, 214649, 10), "parameter 'instance' must be in [1, 214648], got 214649"},
        {bbob_params(1, 1, 1), "parameter 'dim' must be in [2, 44], got 1"},
        {bbob_params(1, 1, 45), "parameter 'dim' must be in [2, 44], got 45"},
    };
    for (const auto& c : cases) {
        const std::string message = creation_error(c.params);
        CAPTURE(message);
        CHECK(message.find(c.expected) != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    }
    // The library's own entry point checks too, for callers that bypass the parameters.
    CHECK_THROWS_AS(bbob::make_function(1, 1, 45), std::invalid_argument);
    CHECK_THROWS_AS(bbob::make_function(25, 1, 10), std::invalid_argument);
    CHECK_THROWS_AS(bbob::make_function(1, 0, 10), std::invalid_argument);

    const std::string command = fmt::format(
        "'{}' eval --problem bbob:function=1,instance=1,dim=45 --points /dev/null",
        testing::optbench_exe());
    std::string output;
    CHECK(testing::shell(command, &output) != 0);
    CHECK(output == "optbench eval: problem 'bbob': parameter 'dim' must be in [2, 44], got 45\n");
}

}  // namespace
