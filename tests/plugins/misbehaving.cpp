// Optimizers that misbehave on purpose, for isolation tests: each failure must become a
// row with status=error while the campaign goes on. Not part of the conformance suite.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "optbench/sdk/sdk.hpp"

namespace {

using namespace optbench;

// Evaluates `before` points, then fails the way `mode` says.
class Misbehaving final : public sdk::Optimizer {
public:
    static constexpr const char* name = "misbehaving";
    static constexpr const char* description = "test: crashes, aborts, throws, hangs, allocates without end, is killed or leaves a process behind";
    static constexpr abi::ParamSpec params[] = {
        sdk::choice("mode", "throw", "throw|segfault|abort|hang|memory|exit|killed|orphan|undeclared_stat",
                    "how to fail; killed: SIGKILL, as the out-of-memory killer sends; orphan: start a background "
                    "process that outlives the run, then abort"),
        sdk::integer("before", "3", "evaluations before failing", 0),
    };

    explicit Misbehaving(const sdk::Params& p)
        : mode_(p.text("mode")), before_(p.integer("before")) {}

    void run(sdk::Objective& objective, std::uint64_t) override {
        std::vector<double> x(objective.dimension(), 0.0);
        for (std::int64_t i = 0; i < before_; ++i) objective.evaluate(x);
        if (mode_ == "throw") throw std::runtime_error("deliberate exception");
        if (mode_ == "undeclared_stat") objective.report("surprise", 1);
        if (mode_ == "segfault") std::raise(SIGSEGV);
        if (mode_ == "abort") std::abort();
        if (mode_ == "exit") std::_Exit(3);
        if (mode_ == "killed") std::raise(SIGKILL);
        if (mode_ == "hang")
            while (true) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (mode_ == "orphan") {
            // As a plugin's system() or popen() can: the shell and its child inherit every
            // descriptor of this process that is not close-on-exec.
            if (std::system("sleep 61.5 </dev/null >/dev/null 2>&1 &") != 0)
                throw std::runtime_error("cannot start the orphan process");
            std::abort();
        }
        if (mode_ == "memory") {
            // Untouched memory: the address-space limit stops it at once, without the page
            // faults that would make it race the run timeout on a loaded machine.
            std::vector<std::unique_ptr<char[]>> hog;
            while (true) hog.emplace_back(new char[std::size_t{64} << 20]);
        }
    }

private:
    std::string mode_;
    std::int64_t before_;
};

}  // namespace

OPTBENCH_PLUGIN("misbehaving", "1.1.0", Misbehaving)
