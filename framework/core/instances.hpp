// Host-side owners of plugin objects. Each keeps its library loaded and destroys the object
// with the plugin's own destroy function.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/loader.hpp"
#include "optbench/sdk/params.hpp"

namespace optbench::host {

// Receives a message written by a plugin. Left uninitialised but for the terminator: it sits
// on the path of every evaluation and is read only after a failure.
struct MessageBuffer {
    MessageBuffer() { text[0] = '\0'; }
    std::array<char, 4096> text;
    abi::Message view() { return {text.data(), text.size()}; }
    std::string str() const { return text.data(); }
};

class PluginObject {
public:
    PluginObject(const PluginEntry& entry, const sdk::Params::Given& params);
    ~PluginObject();
    PluginObject(const PluginObject&) = delete;
    PluginObject& operator=(const PluginObject&) = delete;

    const PluginEntry& entry() const { return entry_; }
    void* self() const { return self_; }

private:
    PluginEntry entry_;
    void* self_ = nullptr;
};

// What the host relies on in a problem's self-description, which a plugin written against the
// raw ABI (not the SDK, which checks it) could get wrong: dimension >= 1, bounds of 1 or
// dimension entries with lower <= upper and no NaN, at least 1 sample in a finite sum.
// Throws Error beginning with `who`.
void check_problem_info(const abi::ProblemInfo& info, const std::string& who);

class ProblemInstance : public PluginObject {
public:
    ProblemInstance(const PluginEntry& entry, const sdk::Params::Given& params);

    const abi::ProblemInfo& info() const { return info_; }
    std::size_t dimension() const { return info_.dimension; }
    bool has(abi::ProblemCapability capability) const { return (info_.capabilities & capability) != 0; }
    const abi::ProblemOps& ops() const { return *entry().entry->problem_ops; }
    double lower(std::size_t i) const { return info_.lower.size == 1 ? info_.lower.data[0] : info_.lower.data[i]; }
    double upper(std::size_t i) const { return info_.upper.size == 1 ? info_.upper.data[0] : info_.upper.data[i]; }

    // Conveniences for the host (not the optimizer's path); they throw Error on failure.
    double value(std::span<const double> x);
    // The values of the points one after the other in xs, in one call (has_value_batch only).
    std::vector<double> value_batch(std::span<const double> xs);
    std::vector<double> initial_point();  // empty when the problem has none
    std::vector<double> optimum_point();  // empty when unknown
    std::vector<double> decay_mask();     // empty when the problem has none
    std::vector<std::pair<std::string, double>> holdout_metrics(std::span<const double> x);
    std::vector<std::pair<std::string, std::string>> artifacts();
    double value_and_gradient(std::span<const double> x, std::span<double> gradient);
    double subset_value(std::span<const double> x, std::span<const std::size_t> samples);
    double set_base(std::span<const double> x);
    double try_move(std::span<const std::size_t> indices, std::span<const double> values);
    void accept();

private:
    void check(abi::Status status, MessageBuffer& message, const char* what) const;
    abi::ProblemInfo info_{};
};

class OptimizerInstance : public PluginObject {
public:
    using PluginObject::PluginObject;
    // Runs the optimizer; returns its status and message (never throws).
    std::pair<abi::Status, std::string> run(const abi::ObjectiveView& objective, std::uint64_t seed);
};

}  // namespace optbench::host
