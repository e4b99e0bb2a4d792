#include "results/manifest.hpp"

#include <chrono>
#include <cmath>
#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/error.hpp"
#include "optbench/sdk/abi.hpp"
#include "results/csv.hpp"
#include "results/provenance.hpp"

namespace optbench::host {

using Json = nlohmann::ordered_json;

namespace {

// Numbers as runs.csv writes them (shortest round trip), null when unset.
Json number(double value) {
    if (std::isnan(value)) return nullptr;
    const double whole = std::trunc(value);
    if (whole == value && std::fabs(value) < 9e15) return static_cast<std::int64_t>(whole);
    return value;
}

double number_of(const Json& json) { return json.is_null() ? Manifest::unset : json.get<double>(); }

Json to_json(const Declarations& d) {
    Json problems = Json::object(), optimizers = Json::object();
    for (const auto& [name, p] : d.problems) {
        Json metrics = Json::array();
        for (const MetricDeclaration& m : p.metrics)
            metrics.push_back({{"name", m.name}, {"better", m.higher_is_better ? "higher" : "lower"}, {"doc", m.doc}});
        problems[name] = {{"suite", p.suite},
                          {"function_parameter", p.function_parameter},
                          {"instance_parameter", p.instance_parameter},
                          {"coco_format", p.coco_format},
                          {"cec_format", p.cec_format},
                          {"metrics", metrics},
                          {"selection_metric", p.selection_metric}};
    }
    for (const auto& [name, o] : d.optimizers) {
        Json stats = Json::array();
        for (const StatDeclaration& s : o.stats)
            stats.push_back({{"name", s.name}, {"doc", s.doc}, {"in_figure", s.in_figure}});
        optimizers[name] = {{"stats", stats}};
    }
    return {{"problems", problems}, {"optimizers", optimizers}};
}

Declarations declarations_of(const Json& json) {
    Declarations d;
    for (const auto& [name, p] : json.at("problems").items()) {
        ProblemDeclaration& out = d.problems[name];
        out.suite = p.at("suite").get<std::string>();
        out.function_parameter = p.at("function_parameter").get<std::string>();
        out.instance_parameter = p.at("instance_parameter").get<std::string>();
        out.coco_format = p.at("coco_format").get<bool>();
        out.cec_format = p.value("cec_format", false);
        for (const Json& m : p.at("metrics"))
            out.metrics.push_back({m.at("name").get<std::string>(), m.at("doc").get<std::string>(),
                                   m.at("better").get<std::string>() == "higher"});
        out.selection_metric = p.value("selection_metric", "");  // folders of older builds have none
    }
    for (const auto& [name, o] : json.at("optimizers").items())
        for (const Json& s : o.at("stats"))
            d.optimizers[name].stats.push_back(
                {s.at("name").get<std::string>(), s.at("doc").get<std::string>(), s.at("in_figure").get<bool>()});
    return d;
}

}  // namespace

const ProblemDeclaration& Declarations::problem(const std::string& name) const {
    static const ProblemDeclaration none;
    const auto it = problems.find(name);
    return it == problems.end() ? none : it->second;
}

const OptimizerDeclaration& Declarations::optimizer(const std::string& name) const {
    static const OptimizerDeclaration none;
    const auto it = optimizers.find(name);
    return it == optimizers.end() ? none : it->second;
}

std::string manifest_json(const Manifest& m) {
    Json plugins = Json::object();
    for (const auto& [name, version] : m.plugins) plugins[name] = version;
    const Json json = {
        {"optbench_version", OPTBENCH_VERSION},
        {"git_commit", build_commit},
        {"abi", fmt::format("{}.{}", abi::major_version, abi::minor_version)},
        {"build_fingerprint", build_fingerprint()},
        {"campaign",
         {{"optimizers", m.optimizers},
          {"problems", m.problems},
          {"seeds", m.seeds},
          {"campaign_seed", m.campaign_seed},
          {"budget", number(m.budget)},
          {"budget_per_dim", number(m.budget_per_dim)},
          {"grad_cost", number(m.grad_cost)},
          {"trace", m.trace},
          {"holdout_every", m.holdout_every},
          {"target_error", number(m.target_error)},
          {"run_timeout_s", number(m.run_timeout_s)}}},
        {"campaign_key", m.campaign_key},
        {"runs", m.runs},
        {"shard", m.shard},
        {"plugins", plugins},
        {"declarations", to_json(m.declarations)},
        {"started", m.started},
        {"ended", m.ended.empty() ? Json(nullptr) : Json(m.ended)}};
    return json.dump(2) + "\n";
}

Manifest read_manifest(const std::filesystem::path& file) {
    Manifest m;
    try {
        const Json json = Json::parse(read_file(file));
        m.optbench_version = json.at("optbench_version").get<std::string>();
        m.git_commit = json.at("git_commit").get<std::string>();
        m.abi = json.at("abi").get<std::string>();
        m.build_fingerprint = json.at("build_fingerprint").get<std::string>();
        const Json& c = json.at("campaign");
        m.optimizers = c.at("optimizers").get<std::vector<std::string>>();
        m.problems = c.at("problems").get<std::vector<std::string>>();
        m.seeds = c.at("seeds").get<std::size_t>();
        m.campaign_seed = c.at("campaign_seed").get<std::uint64_t>();
        m.budget = number_of(c.at("budget"));
        m.budget_per_dim = number_of(c.at("budget_per_dim"));
        m.grad_cost = number_of(c.at("grad_cost"));
        m.trace = c.at("trace").get<std::string>();
        m.holdout_every = c.value("holdout_every", 0);  // older builds computed them only at the end
        m.target_error = number_of(c.at("target_error"));
        m.run_timeout_s = number_of(c.at("run_timeout_s"));
        m.campaign_key = json.at("campaign_key").get<std::string>();
        m.runs = json.at("runs").get<std::size_t>();
        m.shard = json.at("shard").get<std::string>();
        for (const auto& [name, version] : json.at("plugins").items()) m.plugins.emplace_back(name, version.get<std::string>());
        // Folders written before plugins declared themselves have none.
        if (json.contains("declarations")) m.declarations = declarations_of(json.at("declarations"));
        m.started = json.at("started").get<std::string>();
        m.ended = json.at("ended").is_null() ? "" : json.at("ended").get<std::string>();
    } catch (const Json::exception& e) {
        throw Error(fmt::format("{}: not a manifest optbench wrote ({})", file.string(), e.what()));
    }
    return m;
}

std::string manifest_campaign_key(const std::filesystem::path& dir) {
    const std::filesystem::path file = dir / "manifest.json";
    if (!std::filesystem::exists(file)) return "";
    try {
        return read_manifest(file).campaign_key;
    } catch (const Error&) {
        return "";
    }
}

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

}  // namespace optbench::host
