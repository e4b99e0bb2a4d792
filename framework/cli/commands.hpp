// The optbench subcommands, one file each; each takes the arguments after its name and returns
// the exit code. Bad input throws Error (one line), which main() prints before exiting with 2.
#pragma once

#include <string>
#include <vector>

namespace optbench::host {

int command_list(const std::vector<std::string>& args);
int command_describe(const std::vector<std::string>& args);
int command_run(const std::vector<std::string>& args);
int command_eval(const std::vector<std::string>& args);
int command_merge(const std::vector<std::string>& args);
int command_slurm(const std::vector<std::string>& args);
int command_report(const std::vector<std::string>& args);
int command_check(const std::vector<std::string>& args);

// Reads points, one per line, coordinates separated by spaces or commas; every line must have
// `dimension` finite numbers, and the file at least one point (Error names the line).
std::vector<std::vector<double>> read_points(const std::string& file, std::size_t dimension);

}  // namespace optbench::host
