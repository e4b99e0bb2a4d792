#include "core/instances.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace optbench::host {

PluginObject::PluginObject(const PluginEntry& entry, const sdk::Params::Given& params)
    : entry_(entry) {
    std::vector<abi::KeyValue> pairs;
    pairs.reserve(params.size());
    for (const auto& [key, value] : params) pairs.push_back({key.c_str(), value.c_str()});
    MessageBuffer message;
    self_ = entry.entry->create(pairs.data(), pairs.size(), message.view());
    if (!self_)
        throw Error(fmt::format("{} '{}': {}", kind_name(entry.kind()), entry.name(),
                                message.str().empty() ? "creation failed" : message.str()));
}

PluginObject::~PluginObject() {
    if (self_) entry_.entry->destroy(self_);
}

ProblemInstance::ProblemInstance(const PluginEntry& entry, const sdk::Params::Given& params)
    : PluginObject(entry, params) {
    MessageBuffer message;
    check(ops().info(self(), &info_, message.view()), message, "describe itself");
    // Before minor 2 the bit was unassigned and ProblemOps ends before value_batch.
    if (entry.abi_minor < 2) info_.capabilities &= ~abi::has_value_batch;
    check_problem_info(info_, fmt::format("problem '{}' ({})", entry.name(), entry.file.string()));
}

void check_problem_info(const abi::ProblemInfo& info, const std::string& who) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (info.dimension == 0) throw Error(who + ": dimension 0, expected at least 1");
    for (const auto& [side, bounds] : {std::pair{"lower", info.lower}, std::pair{"upper", info.upper}})
        if (bounds.data == nullptr || (bounds.size != 1 && bounds.size != info.dimension))
            throw Error(fmt::format("{}: {} bounds of {} entries, expected 1 or the dimension {}", who, side,
                                    bounds.data ? bounds.size : 0, info.dimension));
    const auto bound = [&](abi::Span s, std::size_t i) { return s.data[s.size == 1 ? 0 : i]; };
    for (std::size_t i = 0; i < std::max(info.lower.size, info.upper.size); ++i)
        if (!(bound(info.lower, i) <= bound(info.upper, i)) || bound(info.lower, i) == inf ||
            bound(info.upper, i) == -inf)
            throw Error(fmt::format("{}: bounds [{}, {}] at coordinate {}, expected lower <= upper, lower < inf "
                                    "and upper > -inf",
                                    who,
                                    bound(info.lower, i), bound(info.upper, i), i));
    if ((info.capabilities & abi::has_finite_sum) && info.num_samples == 0)
        throw Error(who + ": a finite sum of 0 samples, expected at least 1");
}

void ProblemInstance::check(abi::Status status, MessageBuffer& message, const char* what) const {
    if (status != abi::Status::ok)
        throw Error(fmt::format("problem '{}' failed to {}: {}", entry().name(), what,
                                message.str()));
}

double ProblemInstance::value(std::span<const double> x) {
    MessageBuffer message;
    double f = 0;
    check(ops().value(self(), {x.data(), x.size()}, &f, message.view()), message, "evaluate");
    return f;
}

std::vector<double> ProblemInstance::value_batch(std::span<const double> xs) {
    std::vector<double> values(xs.size() / dimension());
    MessageBuffer message;
    check(ops().value_batch(self(), {xs.data(), xs.size()}, {values.data(), values.size()}, message.view()),
          message, "evaluate a batch");
    return values;
}

std::vector<double> ProblemInstance::initial_point() {
    if (!has(abi::has_initial_point)) return {};
    std::vector<double> x(dimension());
    MessageBuffer message;
    check(ops().initial_point(self(), {x.data(), x.size()}, message.view()), message,
          "give its initial point");
    return x;
}

std::vector<double> ProblemInstance::optimum_point() {
    if (!has(abi::has_optimum_point)) return {};
    std::vector<double> x(dimension());
    MessageBuffer message;
    const abi::Status status = ops().optimum_point(self(), {x.data(), x.size()}, message.view());
    if (status == abi::Status::unsupported) return {};  // this instance knows its optimum value only
    check(status, message, "give its optimum point");
    return x;
}

std::vector<double> ProblemInstance::decay_mask() {
    if (!has(abi::has_decay_mask)) return {};
    std::vector<double> mask(dimension());
    MessageBuffer message;
    check(ops().decay_mask(self(), {mask.data(), mask.size()}, message.view()), message,
          "give its weight-decay mask");
    return mask;
}

std::vector<std::pair<std::string, double>> ProblemInstance::holdout_metrics(
    std::span<const double> x) {
    std::vector<std::pair<std::string, double>> metrics;
    if (!has(abi::has_holdout_metrics)) return metrics;
    abi::MetricSink sink{&metrics, [](void* context, const char* name, double value) {
                             static_cast<decltype(metrics)*>(context)->emplace_back(name, value);
                         }};
    MessageBuffer message;
    check(ops().holdout_metrics(self(), {x.data(), x.size()}, sink, message.view()), message,
          "compute hold-out metrics");
    return metrics;
}

std::vector<std::pair<std::string, std::string>> ProblemInstance::artifacts() {
    std::vector<std::pair<std::string, std::string>> files;
    abi::ArtifactSink sink{&files, [](void* context, const char* name, const char* text,
                                      std::size_t size) {
                               static_cast<decltype(files)*>(context)->emplace_back(
                                   name, std::string(text, size));
                           }};
    MessageBuffer message;
    check(ops().artifacts(self(), sink, message.view()), message, "write its artifacts");
    return files;
}

double ProblemInstance::value_and_gradient(std::span<const double> x, std::span<double> gradient) {
    MessageBuffer message;
    double f = 0;
    check(ops().value_and_gradient(self(), {x.data(), x.size()}, &f, {gradient.data(), gradient.size()},
                                   message.view()),
          message, "evaluate with gradient");
    return f;
}

double ProblemInstance::subset_value(std::span<const double> x, std::span<const std::size_t> samples) {
    MessageBuffer message;
    double f = 0;
    check(ops().subset_value(self(), {x.data(), x.size()}, {samples.data(), samples.size()}, &f, {nullptr, 0},
                             message.view()),
          message, "evaluate a subset");
    return f;
}

double ProblemInstance::set_base(std::span<const double> x) {
    MessageBuffer message;
    double f = 0;
    check(ops().set_base(self(), {x.data(), x.size()}, &f, message.view()), message, "set a base point");
    return f;
}

double ProblemInstance::try_move(std::span<const std::size_t> indices, std::span<const double> values) {
    MessageBuffer message;
    double f = 0;
    check(ops().try_move(self(), {indices.data(), indices.size()}, {values.data(), values.size()}, &f,
                         message.view()),
          message, "try a move");
    return f;
}

void ProblemInstance::accept() {
    MessageBuffer message;
    check(ops().accept(self(), message.view()), message, "accept a move");
}

std::pair<abi::Status, std::string> OptimizerInstance::run(const abi::ObjectiveView& objective,
                                                           std::uint64_t seed) {
    MessageBuffer message;
    const abi::Status status =
        entry().entry->optimizer_ops->run(self(), &objective, seed, message.view());
    return {status, message.str()};
}

}  // namespace optbench::host
