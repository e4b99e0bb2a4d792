#include "cli/campaign_options.hpp"

#include <fmt/format.h>

#include "base/error.hpp"
#include "base/spec.hpp"
#include "campaign/campaign_file.hpp"
#include "cli/options.hpp"

namespace optbench::host {

namespace po = boost::program_options;

po::options_description campaign_options() {
    po::options_description options("campaign (command line or campaign file)");
    options.add_options()(
        "optimizers", po::value<std::string>(), "optimizer specs, e.g. random_search,cmaes:covariance=sep")(
        "problems", po::value<std::string>(), "problem specs, e.g. sphere:dim=10,rastrigin:dim=10")(
        "seeds", po::value<Count>(), "repetitions per optimizer x problem (default 1)")(
        "budget", po::value<FiniteReal>(), "evaluation budget per run, in cost units")(
        "budget-per-dim", po::value<FiniteReal>(), "budget per run = this x the problem's dimension (instead of --budget)")(
        "seed", po::value<WholeNumber>(), "campaign seed all run seeds derive from (default 1)")(
        "grad-cost", po::value<FiniteReal>(), "cost of one gradient evaluation in evaluations (default 1)")(
        "trace", po::value<std::string>(), "improvements (default) or levels (20 per decade)")(
        "holdout-every", po::value<WholeNumber>(),
        "hold-out metrics (of problems that have them) at N log-spaced counts per decade and at the end "
        "(default 10; 0: only at the end)")(
        "target", po::value<FiniteReal>(), "stop a run when best_f <= f_opt + target")(
        "run-timeout", po::value<FiniteReal>(), "seconds after which a run is stopped (an error row)")(
        "out", po::value<std::string>(), "output folder (default results/<campaign name> or results/run)");
    return options;
}

void add_campaign_file(const std::string& file, const po::options_description& options, po::variables_map& settings) {
    for (const auto& [key, value] : read_campaign_file(file)) {
        const bool budget_key = key == "budget" || key == "budget-per-dim";
        if (settings.count(key) || (budget_key && settings.count("budget") + settings.count("budget-per-dim") > 0))
            continue;
        try {
            po::store(po::command_line_parser(std::vector<std::string>{"--" + key + "=" + value}).options(options).run(),
                      settings);
        } catch (const po::error& e) {
            throw Error(fmt::format("campaign file {}: {}", file, e.what()));
        }
    }
}

Campaign campaign_from(const po::variables_map& settings) {
    Campaign campaign;
    if (settings.count("optimizers")) campaign.optimizers = parse_spec_list(settings["optimizers"].as<std::string>());
    if (settings.count("problems")) campaign.problems = parse_spec_list(settings["problems"].as<std::string>());
    if (settings.count("seeds")) campaign.seeds = settings["seeds"].as<Count>().value;
    if (settings.count("budget") == settings.count("budget-per-dim"))
        throw Error("run needs one of --budget (evaluations per run) and --budget-per-dim");
    if (settings.count("budget")) campaign.settings.budget = settings["budget"].as<FiniteReal>().value;
    if (settings.count("budget-per-dim")) {
        campaign.settings.budget_per_dim = settings["budget-per-dim"].as<FiniteReal>().value;
        if (!(campaign.settings.budget_per_dim > 0))
            throw Error(fmt::format("--budget-per-dim {} allows no evaluation: expected > 0",
                                    campaign.settings.budget_per_dim));
    }
    if (settings.count("seed")) campaign.seed = settings["seed"].as<WholeNumber>().value;
    if (settings.count("grad-cost")) campaign.settings.grad_cost = settings["grad-cost"].as<FiniteReal>().value;
    if (settings.count("trace")) {
        const std::string mode = settings["trace"].as<std::string>();
        if (mode == "improvements") campaign.settings.trace = TraceMode::improvements;
        else if (mode == "levels") campaign.settings.trace = TraceMode::levels;
        else throw Error(fmt::format("--trace must be improvements or levels, got '{}'", mode));
    }
    if (settings.count("holdout-every")) {
        const std::uint64_t per_decade = settings["holdout-every"].as<WholeNumber>().value;
        if (per_decade > max_holdout_per_decade)
            throw Error(fmt::format("--holdout-every {}: expected at most {} per decade", per_decade,
                                    max_holdout_per_decade));
        campaign.settings.holdout_per_decade = static_cast<int>(per_decade);
    }
    if (settings.count("target")) campaign.settings.target_error = settings["target"].as<FiniteReal>().value;
    if (settings.count("run-timeout")) {
        campaign.settings.timeout_s = settings["run-timeout"].as<FiniteReal>().value;
        if (!(campaign.settings.timeout_s > 0))
            throw Error(fmt::format("--run-timeout {}: expected a number of seconds > 0", campaign.settings.timeout_s));
    }
    return campaign;
}

}  // namespace optbench::host
