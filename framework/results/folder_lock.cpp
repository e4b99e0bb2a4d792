#include "results/folder_lock.hpp"

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <csignal>
#include <cstring>
#include <string>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/error.hpp"
#include "results/manifest.hpp"

namespace optbench::host {

namespace fs = std::filesystem;

namespace {

// What the exclusive holder wrote into the lock file: "pid 1234 since 2026-12-07T16:20:00Z".
std::string holder_of(int fd) {
    char text[128] = {};
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    std::string holder = n > 0 ? std::string(text, static_cast<std::size_t>(n)) : "";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
    return holder;
}

// A holder's workers outlive it by the moment the kernel takes to kill them; its lock goes
// with the last of them.
bool holder_is_gone(const std::string& holder) {
    unsigned long pid = 0;
    if (std::sscanf(holder.c_str(), "pid %lu", &pid) != 1 || pid == 0) return false;
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

bool try_lock(int fd, int operation, const fs::path& file) {
    while (::flock(fd, operation | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        if (errno == EWOULDBLOCK) return false;
        throw Error(fmt::format("cannot lock {}: {}", file.string(), std::strerror(errno)));
    }
    return true;
}

}  // namespace

fs::path FolderLock::file_of(const fs::path& folder) { return folder / "parts" / "lock"; }

FolderLock::FolderLock(const fs::path& folder, Mode mode, bool wait) {
    const fs::path file = file_of(folder);
    const bool exclusive = mode == Mode::exclusive;
    fd_ = exclusive ? ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644) : ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
        if (!exclusive && errno == ENOENT) return;
        throw Error(fmt::format("cannot open {} to lock the results folder: {}", file.string(), std::strerror(errno)));
    }
    const int operation = exclusive ? LOCK_EX : LOCK_SH;
    if (!try_lock(fd_, operation, file)) {
        const std::string holder = holder_of(fd_);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        bool locked = false;
        while (!locked && holder_is_gone(holder) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            locked = try_lock(fd_, operation, file);
        }
        if (!locked) {
            const std::string who = holder.empty() ? "another optbench process" : "another optbench process (" + holder + ")";
            if (!wait) {
                ::close(fd_);
                fd_ = -1;
                throw Error(fmt::format("results folder {} is in use by {}; wait until it ends, or add --wait-lock "
                                        "to wait for it", folder.string(), who));
            }
            fmt::print(stderr, "waiting for {} to release results folder {} ...\n", who, folder.string());
            while (::flock(fd_, operation) != 0)
                if (errno != EINTR) throw Error(fmt::format("cannot lock {}: {}", file.string(), std::strerror(errno)));
        }
    }
    if (exclusive) {
        const std::string holder = fmt::format("pid {} since {}\n", ::getpid(), utc_now());
        // Only a waiting process's message needs it: when it cannot be written, the lock still holds.
        if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, holder.data(), holder.size(), 0);
    }
}

FolderLock::~FolderLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace optbench::host
