// What every subcommand parses its arguments with.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "core/loader.hpp"

namespace optbench::host {

// Option values Program_options alone would let through wrong: it reads "-1" into a std::size_t
// or std::uint64_t as 2^64 - 1, and "inf" or "nan" into a double. A bad value is an error naming
// the option.
struct Count {  // a whole number >= 1: --jobs, --shards, --cpus-per-task, --seeds
    std::size_t value = 0;
};
struct WholeNumber {  // a whole number >= 0: seeds, run ids
    std::uint64_t value = 0;
};
struct FiniteReal {  // a finite number: budgets, costs, targets, times, memory
    double value = 0;
};
void validate(boost::any& out, const std::vector<std::string>& values, Count*, int);
void validate(boost::any& out, const std::vector<std::string>& values, WholeNumber*, int);
void validate(boost::any& out, const std::vector<std::string>& values, FiniteReal*, int);

// Parses a subcommand's arguments against its options (Program_options errors propagate).
boost::program_options::variables_map parse_arguments(
    const std::vector<std::string>& args, const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional = {});

// Throws Error for an empty --out (an unset shell variable), which would name the current folder.
void require_out_folder(const std::string& out);

// A warning on stderr for each plugin library the registry skipped.
void warn_load_errors(const Registry& registry);

}  // namespace optbench::host
