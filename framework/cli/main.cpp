// The optbench command line.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "base/error.hpp"
#include "base/text.hpp"
#include "report/report.hpp"

namespace po = boost::program_options;
using namespace optbench::host;

namespace {

const char* usage =
    "usage: optbench COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  list                      every optimizer and problem found, one line each\n"
    "  describe NAME             parameters of an optimizer or problem\n"
    "  run [options]             run every optimizer x problem x seed (see run --help)\n"
    "  eval --problem SPEC --points FILE\n"
    "                            print f at each point of FILE, one per line (%.17g)\n"
    "  merge --out DIR SHARD_DIR...\n"
    "                            join shard outputs; fails on a missing or duplicated run\n"
    "  slurm --campaign FILE --shards N --out DIR [--submit]\n"
    "                            write (and submit) a Slurm array job running the shards\n"
    "  report DIR [options]      tables, plots and a COCO export of a results folder (see report --help)\n"
    "  check SPEC [--quick]      a problem through the test suite's checks, one line each\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
        std::fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string command = argv[1];
    std::vector<std::string> args(argv + 2, argv + argc);
    try {
        if (command == "list") return command_list(args);
        if (command == "describe") return command_describe(args);
        if (command == "run") return command_run(args);
        if (command == "eval") return command_eval(args);
        if (command == "merge") return command_merge(args);
        if (command == "slurm") return command_slurm(args);
        if (command == "report") return command_report(args);
        if (command == "check") return command_check(args);
        throw Error(fmt::format(
            "unknown command '{}'; known: list, describe, run, eval, merge, slurm, report, check", command));
    } catch (const po::error& e) {
        fmt::print(stderr, "optbench {}: {}\n", one_line(command), one_line(e.what()));
    } catch (const std::exception& e) {
        fmt::print(stderr, "optbench {}: {}\n", one_line(command), one_line(e.what()));
    }
    return 2;
}
