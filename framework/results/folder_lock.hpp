// A lock on a results folder, so that two processes never write one folder at the same time
// (two campaigns would mix their runs). flock(2) on a file in the folder: the kernel releases
// it when the holder dies, however it dies, so a killed campaign never leaves it locked.
#pragma once

#include <filesystem>

namespace optbench::host {

class FolderLock {
public:
    enum class Mode {
        exclusive,  // writers: a campaign, a shard, a merge into the folder
        shared,     // readers that must not see a folder mid-write: merge's input shards
    };
    // Locks `lock_file` (created when missing and mode is exclusive). When another process
    // holds a conflicting lock: waits (saying so on stderr) if `wait`, else throws Error
    // naming `folder` and the holder. A shared lock on a folder without a lock file (written
    // by an older optbench) locks nothing.
    FolderLock(const std::filesystem::path& folder, Mode mode, bool wait);
    ~FolderLock();
    FolderLock(FolderLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    FolderLock& operator=(FolderLock&&) = delete;
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

    // parts/lock, the file the lock is taken on.
    static std::filesystem::path file_of(const std::filesystem::path& folder);

private:
    int fd_ = -1;
};

}  // namespace optbench::host
