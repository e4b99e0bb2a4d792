// Runs a campaign's runs in isolated worker processes, so that a crash, a hang or a memory
// blow-up of one run becomes an error row and the campaign goes on.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "campaign/campaign.hpp"
#include "results/store.hpp"

namespace optbench::host {

struct ExecutionOptions {
    std::size_t jobs = 1;             // worker processes
    // Address-space limit per worker in MB; 0: none. Unset: 80 % of the machine's memory
    // shared by the workers started (at most one per pending run, whatever `jobs` asks).
    std::optional<double> run_memory_mb;
    bool progress = false;            // a progress line on stderr
    // Times a run whose worker was killed from outside (not by its own crash, nor by the
    // run timeout) runs again before it is recorded as an error.
    std::size_t retries = 2;
};

struct ExecutionSummary {
    std::size_t ran = 0;
    std::size_t skipped = 0;  // finished before (resume)
    std::size_t failed = 0;   // status error
    // SIGINT or SIGTERM when one stopped the campaign early: the runs that were running are
    // not recorded (resume runs them again), and nothing more was started. 0 otherwise.
    int interrupted_by = 0;
};

// Runs every run of `runs` that the store has not finished. Past settings.timeout_s a run is
// asked to stop (an error row with its partial results); one that does not stop within a
// grace period is killed (an error row too). A run whose worker is killed from outside runs
// again (options.retries). Workers are forked from this
// process after the plugins are loaded, so each keeps them loaded for all its runs; each
// finished run is saved by its worker before the next starts.
ExecutionSummary execute_runs(const Registry& registry, const ResultStore& store,
                              const std::vector<RunSpec>& runs, const RunSettings& settings,
                              const ExecutionOptions& options);

}  // namespace optbench::host
