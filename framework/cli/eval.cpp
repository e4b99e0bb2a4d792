// `optbench eval`: a problem's value at each point of a file.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "base/spec.hpp"
#include "base/text.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/instances.hpp"
#include "results/csv.hpp"

namespace optbench::host {

namespace po = boost::program_options;

std::vector<std::vector<double>> read_points(const std::string& file, std::size_t dimension) {
    std::istringstream in(read_text_file(file, "points file"));
    std::vector<std::vector<double>> points;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        std::vector<double> x;
        std::string_view rest = trim(line);
        if (rest.empty() || rest.front() == '#') continue;
        while (!rest.empty()) {
            const std::size_t end = rest.find_first_of(" \t,");
            const std::string_view token = rest.substr(0, end);
            double v = 0;
            // parse_double takes "inf" (a parameter may be unbounded); no point lies at infinity.
            if (!sdk::detail::parse_double(token, v) || !std::isfinite(v))
                throw Error(fmt::format("points file {} line {}, column {}: '{}' is not a finite number", file, number,
                                        x.size() + 1, token));
            x.push_back(v);
            if (end == std::string_view::npos) break;
            // Between two coordinates: blanks and at most one comma.
            rest = trim(rest.substr(end));
            if (rest.front() != ',') continue;
            rest = trim(rest.substr(1));
            if (rest.empty() || rest.front() == ',')
                throw Error(fmt::format("points file {} line {}, column {}: empty, expected a finite number", file,
                                        number, x.size() + 1));
        }
        if (x.size() != dimension)
            throw Error(fmt::format("points file {} line {}: has {} coordinates, the problem has {}",
                                    file, number, x.size(), dimension));
        points.push_back(std::move(x));
    }
    if (points.empty()) throw Error(fmt::format("points file {} holds no point", file));
    return points;
}

int command_eval(const std::vector<std::string>& args) {
    po::options_description options("optbench eval");
    options.add_options()("help,h", "show this help")(
        "problem", po::value<std::string>(), "problem spec, e.g. rastrigin:dim=10,instance=2")(
        "points", po::value<std::string>(), "file with one point per line");
    const auto vm = parse_arguments(args, options);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("problem") || !vm.count("points")) throw Error("eval needs --problem and --points");
    const std::vector<Spec> specs = parse_spec_list(vm["problem"].as<std::string>());
    if (specs.size() != 1) throw Error("eval takes exactly one problem spec");
    const Registry registry = Registry::discover();
    warn_load_errors(registry);
    const PluginEntry& entry = registry.find(abi::EntryKind::problem, specs[0].name);
    ProblemInstance problem(entry, specs[0].params);
    const auto points = read_points(vm["points"].as<std::string>(), problem.dimension());
    std::string out;
    for (const auto& x : points) out += fmt::format("{:.17g}\n", problem.value(x));
    std::fputs(out.c_str(), stdout);
    return 0;
}

}  // namespace optbench::host
