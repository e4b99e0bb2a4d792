// `optbench report DIR`: tables, plots and a COCO export of a results folder.
#include <iostream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "base/error.hpp"
#include "report/report.hpp"
#include "base/text.hpp"

namespace optbench::host {

namespace po = boost::program_options;

int command_report(const std::vector<std::string>& args) {
    po::options_description options("optbench report DIR [options]");
    options.add_options()("help,h", "show this help")(
        "results", po::value<std::string>(), "results folder written by optbench run (positional)")(
        "out", po::value<std::string>(), "report folder (default DIR/report)")(
        "targets", po::value<std::string>(),
        "targets on the error (best f where f_opt is unknown), e.g. 1e-1,1e-3,1e-5 (default: COCO's "
        "10,1,1e-1,1e-2,1e-3,1e-5,1e-7 on the error; else each optimizer's median final best f)")(
        "budget-fractions", po::value<std::string>(),
        "fixed-budget view: fractions of each run's budget in (0, 1] (default 0.01,0.1,1)")(
        "profile-tolerances", po::value<std::string>(),
        "data and performance profiles: tolerances tau in (0, 1) of the convergence test (default 1e-1,1e-3,1e-5,1e-7)")(
        "alpha", po::value<double>()->default_value(0.05, "0.05"), "significance level of the Holm-corrected rank-sum tests")(
        "reference", po::value<std::string>(),
        "CEC tables: the optimizer (spec as in runs.csv) every other is tested against (default: the first)")(
        "published", po::value<std::string>(),
        "CSV of final errors others published (label,problem,runs,error,source), set beside these runs")(
        "figure-run", po::value<std::vector<WholeNumber>>(),
        "run_id whose figure of declared stats to draw (repeatable, one per optimizer; default: the first run "
        "of each optimizer that declares a figure)")(
        "seed", po::value<WholeNumber>()->default_value(WholeNumber{1}, "1"), "seed of the ECDFs' simulated restarts")(
        "rank-by", po::value<std::string>()->default_value("final"),
        "score of the rankings across problems: final (median final value), target:VALUE (aRT to the target "
        "VALUE on the error, best f without f_opt) or ecdf-area (area under the runtime ECDF)");
    po::positional_options_description positional;
    positional.add("results", 1);
    const po::variables_map vm = parse_arguments(args, options, positional);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("results") || vm["results"].as<std::string>().empty())
        throw Error("report needs the results folder: optbench report DIR");
    ReportOptions report;
    report.results = vm["results"].as<std::string>();
    if (vm.count("out")) report.out = vm["out"].as<std::string>();
    if (vm.count("targets")) report.targets = parse_targets(vm["targets"].as<std::string>());
    if (vm.count("budget-fractions")) report.budget_fractions = parse_budget_fractions(vm["budget-fractions"].as<std::string>());
    if (vm.count("profile-tolerances"))
        report.profile_tolerances = parse_profile_tolerances(vm["profile-tolerances"].as<std::string>());
    report.alpha = vm["alpha"].as<double>();
    if (vm.count("reference")) report.reference = vm["reference"].as<std::string>();
    if (vm.count("published")) report.published = vm["published"].as<std::string>();
    if (vm.count("figure-run"))
        for (const WholeNumber& run_id : vm["figure-run"].as<std::vector<WholeNumber>>())
            report.plots.figure_runs.push_back(run_id.value);
    report.plots.seed = vm["seed"].as<WholeNumber>().value;
    report.rank_by = report::parse_rank_by(vm["rank-by"].as<std::string>());

    const ReportOutput out = write_report(report);
    fmt::print("{}\n", out.final_markdown);
    if (out.errors + out.not_applicable)
        fmt::print("note: {} with status error and {} not_applicable are counted, not used; see "
                   "{}/tables/status.md\n",
                   counted(out.errors, "run"), out.not_applicable, out.folder.string());
    fmt::print("report: {0}/report.md, {0}/index.html ({1} table files, {2} plots{3}{4})\n", out.folder.string(), out.files.size() - 2,
               out.plots.size(), out.rendered ? " as PNG and SVG" : ", not rendered",
               out.coco_folders.empty() ? "" : ", COCO export in " + (out.folder / "coco").string());
    return 0;
}

}  // namespace optbench::host
