#include "campaign/executor.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <memory>
#include <new>
#include <optional>

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

namespace optbench::host {

namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t interrupt_signal = 0;
extern "C" void note_interrupt(int signal) { interrupt_signal = signal; }
extern "C" void do_nothing(int) {}

// While runs execute, SIGINT (Ctrl-C) and SIGTERM (kill, a batch system's time limit) only
// note the signal, so the campaign can stop cleanly: finished runs kept, results assembled.
class InterruptGuard {
public:
    InterruptGuard() {
        interrupt_signal = 0;
        struct sigaction action {};
        action.sa_handler = note_interrupt;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, &old_int_);
        ::sigaction(SIGTERM, &action, &old_term_);
    }
    ~InterruptGuard() {
        ::sigaction(SIGINT, &old_int_, nullptr);
        ::sigaction(SIGTERM, &old_term_, nullptr);
    }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

private:
    struct sigaction old_int_ {}, old_term_ {};
};

bool write_all(int fd, const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool read_all(int fd, void* data, std::size_t size) {
    char* p = static_cast<char*>(data);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// A worker answers each run with one byte: the run's RunStatus, or this when it could not
// save the run, followed then by the reason's length (4 bytes) and text.
constexpr std::uint8_t save_failed = 0xff;

struct Worker {
    RunProgress* progress = nullptr;  // shared with the worker process, one per worker slot
    pid_t pid = -1;
    int to_worker = -1;    // run indices go here
    int from_worker = -1;  // one outcome byte per finished run comes back here
    std::optional<std::size_t> current;  // index into the runs being executed
    Clock::time_point started;
    bool killed_for_timeout = false;
};

// The worker's loop: read a run index, run it, save it, answer. Ends at end of input.
[[noreturn]] void worker_main(int commands, int answers, RunProgress* progress, const Registry& registry,
                              const ResultStore& store, const std::vector<RunSpec>& runs,
                              const RunSettings& settings, double memory_mb) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a killed campaign
    // Ctrl-C reaches the whole process group, a batch system's SIGTERM every process: the
    // campaign process decides, and a worker dying of them would look like a crashed run. A
    // handler that does nothing, not SIG_IGN: an ignored signal stays ignored across exec, so
    // a process a plugin starts would be deaf to SIGTERM and never die of SIGPIPE.
    struct sigaction nothing {};
    nothing.sa_handler = do_nothing;
    nothing.sa_flags = SA_RESTART;
    sigemptyset(&nothing.sa_mask);
    for (int signal : {SIGINT, SIGTERM, SIGPIPE}) ::sigaction(signal, &nothing, nullptr);
    if (memory_mb > 0) {
        const auto bytes = static_cast<rlim_t>(memory_mb * 1024 * 1024);
        const rlimit limit{bytes, bytes};
        ::setrlimit(RLIMIT_AS, &limit);
    }
    std::uint64_t index = 0;
    while (read_all(commands, &index, sizeof index)) {
        const RunResult result = execute_run(registry, runs.at(index), settings, false, progress);
        auto code = static_cast<std::uint8_t>(result.status);
        std::string reason;
        try {
            store.save(result, provenance_of(registry, result.spec), result.artifacts);
        } catch (const std::exception& e) {
            // The campaign process reports it, once, whichever worker failed first.
            code = save_failed;
            reason = e.what();
        }
        if (!write_all(answers, &code, 1)) break;
        if (code == save_failed) {
            const auto length = static_cast<std::uint32_t>(reason.size());
            write_all(answers, &length, sizeof length);
            write_all(answers, reason.data(), reason.size());
            break;
        }
    }
    std::fflush(nullptr);
    ::_exit(0);
}

// Signals a run's process raises itself (a crash of the plugin's code): running it again
// would crash again. Any other signal was sent from outside.
bool is_the_runs_own_fault(int signal) {
    for (int own : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP, SIGXCPU, SIGXFSZ})
        if (signal == own) return true;
    return false;
}

double physical_memory_mb() {
    const long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGE_SIZE);
    return pages > 0 && page_size > 0 ? static_cast<double>(pages) * static_cast<double>(page_size) / (1024.0 * 1024.0) : 0;
}

std::string describe_death(int status) {
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        return fmt::format("the run's process was killed by signal {} ({})", signal,
                           ::strsignal(signal));
    }
    if (WIFEXITED(status)) return fmt::format("the run's process exited with code {}", WEXITSTATUS(status));
    return "the run's process ended unexpectedly";
}

class Pool {
public:
    Pool(const Registry& registry, const ResultStore& store, const std::vector<RunSpec>& runs,
         const RunSettings& settings, const ExecutionOptions& options)
        : registry_(registry), store_(store), runs_(runs), settings_(settings), options_(options) {}

    ~Pool() {
        for (Worker& w : workers_) stop(w, true);
        if (progress_ != MAP_FAILED) ::munmap(progress_, progress_bytes_);
    }

    ExecutionSummary run(std::deque<std::size_t> pending, std::size_t skipped) {
        ExecutionSummary summary;
        summary.skipped = skipped;
        const std::size_t total = pending.size() + skipped;
        const auto start = Clock::now();
        workers_.resize(std::min(options_.jobs, pending.size()));
        run_memory_mb_ = options_.run_memory_mb.value_or(0.8 * physical_memory_mb() / static_cast<double>(workers_.size()));
        // Anonymous shared memory: each worker process, forked after this, writes its slot.
        progress_bytes_ = workers_.size() * sizeof(RunProgress);
        progress_ = ::mmap(nullptr, progress_bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (progress_ == MAP_FAILED)
            throw Error(fmt::format("cannot map memory shared with the workers: {}", std::strerror(errno)));
        for (std::size_t i = 0; i < workers_.size(); ++i) {
            workers_[i].progress = new (static_cast<RunProgress*>(progress_) + i) RunProgress;
            spawn(workers_[i]);
        }

        while (summary.ran < total - skipped) {
            if (interrupt_signal != 0) {
                for (Worker& w : workers_) stop(w, true);
                summary.interrupted_by = interrupt_signal;
                break;
            }
            for (Worker& w : workers_)
                if (!w.current && !pending.empty()) {
                    dispatch(w, pending.front());
                    pending.pop_front();
                }
            std::vector<pollfd> fds;
            for (const Worker& w : workers_) fds.push_back({w.from_worker, POLLIN, 0});
            const int ready = ::poll(fds.data(), fds.size(), 200);
            if (ready < 0 && errno != EINTR) throw Error(fmt::format("poll failed: {}", std::strerror(errno)));
            if (interrupt_signal != 0) continue;  // before any answer: a worker may have seen it too
            for (std::size_t i = 0; i < workers_.size(); ++i) {
                Worker& w = workers_[i];
                if (ready > 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                    std::uint8_t code = 0;
                    if (read_all(w.from_worker, &code, 1)) {
                        if (code == save_failed) throw Error(save_failure_of(w));
                        if (static_cast<RunStatus>(code) == RunStatus::error) ++summary.failed;
                        w.current.reset();
                        ++summary.ran;
                        // It answered just before the timeout's kill reached it: the next run
                        // must not go to a worker that is about to die.
                        if (w.killed_for_timeout) {
                            stop(w, false);
                            if (!pending.empty()) spawn(w);
                        }
                    } else {
                        if (w.current) {
                            const std::size_t index = *w.current;
                            if (record_death(w)) {
                                pending.push_back(index);
                            } else {
                                ++summary.failed;
                                ++summary.ran;
                            }
                        }
                        stop(w, false);
                        if (!pending.empty()) spawn(w);
                    }
                } else if (w.current) {
                    enforce_timeout(w);
                }
            }
            if (options_.progress) print_progress(summary, total, start);
        }
        if (options_.progress) fmt::print(stderr, "\n");
        return summary;
    }

private:
    void spawn(Worker& w) {
        int commands[2], answers[2];
        // Close-on-exec: a child process a plugin starts must not hold a worker's pipe open, or
        // the worker's death would never reach this process as an end of file.
        if (::pipe2(commands, O_CLOEXEC) != 0 || ::pipe2(answers, O_CLOEXEC) != 0)
            throw Error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
        std::fflush(nullptr);
        const pid_t pid = ::fork();
        if (pid < 0) throw Error(fmt::format("cannot start a worker process: {}", std::strerror(errno)));
        if (pid == 0) {
            // Drop every other worker's pipe, or their end-of-file would never be seen.
            for (const Worker& other : workers_)
                for (int fd : {other.to_worker, other.from_worker})
                    if (fd >= 0) ::close(fd);
            ::close(commands[1]);
            ::close(answers[0]);
            worker_main(commands[0], answers[1], w.progress, registry_, store_, runs_, settings_,
                        run_memory_mb_);
        }
        ::close(commands[0]);
        ::close(answers[1]);
        w = Worker{w.progress, pid, commands[1], answers[0], std::nullopt, Clock::now(), false};
    }

    // What a worker that could not save its run says after its answer.
    std::string save_failure_of(const Worker& w) const {
        std::uint32_t length = 0;
        std::string reason;
        if (read_all(w.from_worker, &length, sizeof length) && length < (1u << 20)) {
            reason.resize(length);
            if (!read_all(w.from_worker, reason.data(), length)) reason.clear();
        }
        const std::string run = w.current ? fmt::format("run {}", runs_.at(*w.current).run_id) : "a run";
        return reason.empty() ? fmt::format("{} could not be saved in {}", run, store_.dir().string())
                              : fmt::format("{} could not be saved: {}", run, reason);
    }

    void dispatch(Worker& w, std::size_t index) {
        const std::uint64_t message = index;
        // The worker is idle until it reads the index: nothing writes the slot meanwhile.
        std::destroy_at(w.progress);
        new (w.progress) RunProgress;
        w.current = index;
        w.started = Clock::now();
        w.killed_for_timeout = false;
        // When the worker is gone this write fails; its end of file on the answer pipe then
        // records the run.
        write_all(w.to_worker, &message, sizeof message);
    }

    // The optimizer is asked to stop at the timeout (an error row with its partial results);
    // one that does not answer within a grace period is killed.
    void enforce_timeout(Worker& w) {
        if (settings_.timeout_s <= 0 || w.killed_for_timeout) return;
        const double elapsed = std::chrono::duration<double>(Clock::now() - w.started).count();
        const double grace = std::max(2.0, 0.2 * settings_.timeout_s);
        if (elapsed > settings_.timeout_s + grace) {
            ::kill(w.pid, SIGKILL);
            w.killed_for_timeout = true;
        }
    }

    // Records the run of a worker that died; returns true when the run is to be tried again
    // (its worker was killed from outside, and attempts are left).
    bool record_death(Worker& w) {
        int status = 0;
        ::waitpid(w.pid, &status, 0);
        w.pid = -1;
        RunRow result;
        result.spec = runs_.at(*w.current);
        w.current.reset();
        const RunProgress& progress = *w.progress;
        if (const std::size_t dim = progress.dim.load()) result.spec.dim = dim;
        result.budget = settings_.budget_for(result.spec.dim);
        result.evals = progress.evals();
        result.grad_evals = progress.grad_evals();
        result.cost = progress.cost();
        result.best_f = progress.best_f.load();
        result.f_opt = progress.f_opt.load();
        result.status = RunStatus::error;
        result.wall_s = std::chrono::duration<double>(Clock::now() - w.started).count();
        result.stop_reason = StopReason::crash;
        result.message = describe_death(status);
        if (w.killed_for_timeout) {
            result.stop_reason = StopReason::timeout;
            result.message = fmt::format("killed: no answer within the run timeout of {} s", settings_.timeout_s);
        } else if (WIFSIGNALED(status) && !is_the_runs_own_fault(WTERMSIG(status))) {
            // Nobody here sent it: the kernel's out-of-memory killer or an administrator did.
            // Not the run's doing, so it runs again (the same seed gives the same result).
            if (WTERMSIG(status) == SIGKILL) result.message += " (out of memory? see --run-memory)";
            const std::size_t attempts = store_.record_failed_attempt(result.spec.run_id, result.message);
            if (attempts <= options_.retries) {
                fmt::print(stderr, "\nrun {}: {}; attempt {} of {}, trying again\n", result.spec.run_id, result.message,
                           attempts, options_.retries + 1);
                return true;
            }
            result.message += fmt::format(", in each of {} attempts (--retries {})", attempts, options_.retries);
        }
        store_.save(result, provenance_of(registry_, result.spec));
        return false;
    }

    void stop(Worker& w, bool kill_it) {
        if (w.to_worker >= 0) ::close(w.to_worker);
        if (w.from_worker >= 0) ::close(w.from_worker);
        w.to_worker = w.from_worker = -1;
        if (w.pid > 0) {
            if (kill_it) ::kill(w.pid, SIGKILL);
            ::waitpid(w.pid, nullptr, 0);
            w.pid = -1;
        }
    }

    static void print_progress(const ExecutionSummary& s, std::size_t total, Clock::time_point start) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const std::size_t done = s.ran + s.skipped;
        const double eta = s.ran ? elapsed / static_cast<double>(s.ran) * static_cast<double>(total - done) : 0;
        fmt::print(stderr, "\r[{}/{}] failures {}  elapsed {:.0f} s  ETA {:.0f} s   ", done, total,
                   s.failed, elapsed, eta);
    }

    const Registry& registry_;
    const ResultStore& store_;
    const std::vector<RunSpec>& runs_;
    const RunSettings& settings_;
    const ExecutionOptions& options_;
    std::vector<Worker> workers_;
    double run_memory_mb_ = 0;
    void* progress_ = MAP_FAILED;
    std::size_t progress_bytes_ = 0;
};

}  // namespace

ExecutionSummary execute_runs(const Registry& registry, const ResultStore& store,
                              const std::vector<RunSpec>& runs, const RunSettings& settings,
                              const ExecutionOptions& options) {
    if (options.jobs == 0) throw Error("--jobs must be at least 1");
    std::deque<std::size_t> pending;
    std::size_t skipped = 0;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (store.finished(runs[i].run_id)) ++skipped;
        else pending.push_back(i);
    }
    if (pending.empty()) return {0, skipped, 0};
    // A worker that dies makes writes to its pipe fail; that must not kill the campaign.
    std::signal(SIGPIPE, SIG_IGN);
    const InterruptGuard interrupts;
    Pool pool(registry, store, runs, settings, options);
    return pool.run(std::move(pending), skipped);
}

}  // namespace optbench::host
