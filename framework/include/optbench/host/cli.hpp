// The optbench subcommands; each takes the arguments after its name and returns the exit code.
// Bad input throws Error (one line), which main() prints before exiting with 2.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "optbench/host/campaign.hpp"
#include "optbench/host/executor.hpp"

namespace optbench::host {

// Option values Program_options alone would let through wrong: it reads "-1" into a std::size_t
// as 2^64 - 1, and "inf" or "nan" into a double. A bad value is an error naming the option.
struct Count {  // a whole number >= 1: --jobs, --shards, --cpus-per-task
    std::size_t value = 0;
};
struct FiniteReal {  // a finite number: budgets, costs, targets, times, memory
    double value = 0;
};
void validate(boost::any& out, const std::vector<std::string>& values, Count*, int);
void validate(boost::any& out, const std::vector<std::string>& values, FiniteReal*, int);

// Parses a subcommand's arguments against its options (Program_options errors propagate).
boost::program_options::variables_map parse_arguments(
    const std::vector<std::string>& args, const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional = {});

int command_list(const std::vector<std::string>& args);
int command_describe(const std::vector<std::string>& args);
int command_run(const std::vector<std::string>& args);
int command_eval(const std::vector<std::string>& args);
int command_merge(const std::vector<std::string>& args);
int command_slurm(const std::vector<std::string>& args);

// Reads a campaign file: `key = value` lines with the long names of `optbench run`'s options,
// '#' comments; `optimizers` and `problems` may repeat (their lists are joined). Throws Error
// naming the file and line.
std::vector<std::pair<std::string, std::string>> read_campaign_file(const std::string& file);

// Reads points, one per line, coordinates separated by spaces or commas; every row must have
// `dimension` numbers (Error names the row).
std::vector<std::vector<double>> read_points(const std::string& file, std::size_t dimension);

struct Shard {
    std::size_t index = 0;
    std::size_t count = 1;
};

// Runs the campaign's runs of `shard` into out_dir (skipping runs finished before), then
// assembles the CSVs and the manifest. keep_published: a folder with this campaign's CSVs but
// no parts/ keeps its runs (ResultStore::recover_parts) instead of running them again.
ExecutionSummary run_campaign(const Registry& registry, const Campaign& campaign,
                              const std::string& out_dir, const ExecutionOptions& options,
                              const Shard& shard = {}, bool keep_published = false);

}  // namespace optbench::host
