// The options that define a campaign (what runs, under which settings): the command line of
// `optbench run` and the keys of a campaign file, read one way by run and by slurm (which
// plans the campaign before it writes an array job, so that a bad spec fails on the login
// node, not in every task).
#pragma once

#include <string>

#include <boost/program_options.hpp>

#include "campaign/campaign.hpp"

namespace optbench::host {

// --optimizers, --problems, --seeds, --budget, --budget-per-dim, --seed, --grad-cost, --trace,
// --target, --run-timeout and --out: every key a campaign file may set.
boost::program_options::options_description campaign_options();

// Adds the settings of campaign file `file` to `settings`, parsed by `options`; a setting
// already there (the command line) wins, and a command-line budget replaces both of the
// file's, which are one setting. Throws Error naming the file.
void add_campaign_file(const std::string& file, const boost::program_options::options_description& options,
                       boost::program_options::variables_map& settings);

// The campaign `settings` define; throws Error for a missing budget or a bad setting.
Campaign campaign_from(const boost::program_options::variables_map& settings);

}  // namespace optbench::host
