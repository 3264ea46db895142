#include "storage/sqlite/checkpointer.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>

#include "storage/sqlite/connections.hpp"

namespace cogsync::storage {

checkpointer::checkpointer(const store_options& opts, std::atomic<bool>& rewind_due)
    : conn_(open_checkpointer(opts)),
      wal_path_(opts.path + "-wal"),
      interval_(std::max(1, opts.checkpoint_interval_ms)),
      truncate_bytes_(opts.wal_truncate_bytes),
      rewind_frames_(std::max<int64_t>(1, opts.wal_rewind_bytes / page_size(*conn_))),
      db_fd_(::open(opts.path.c_str(), O_RDONLY | O_CLOEXEC)),
      rewind_due_(rewind_due),
      thread_([this] { run(); }) {}

checkpointer::~checkpointer() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    if (db_fd_ >= 0) ::close(db_fd_);
}

void checkpointer::run() {
    pthread_setname_np(pthread_self(), "cogsync-ckpt");
    // Linux keeps a nice value per thread. Failing to lower its priority only costs the gain.
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), checkpointer_nice);
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, interval_, [&] { return stopping_; })) {
        lock.unlock();
        checkpoint_once();
        lock.lock();
    }
}

// Failures are expected and harmless here: SQLITE_BUSY means readers or the writer were in the
// way, and the next tick tries again. Nothing on this thread may throw.
//
// TRUNCATE takes the writer's lock; the checkpoint connection has no busy handler, so when the
// writer or a reader is in the way it gives up at once instead of stalling commits, and the next
// tick tries again. The PASSIVE pass just before has copied nearly everything, so when it does
// get the lock it holds it only briefly.
//
// A WAL holding wal_rewind_bytes is handed to the writer to rewind (writer.hpp), after a second
// pass that copies what was appended during the first: the writer copies the rest while commits
// wait, so the less is left, the shorter the wait. A WAL with nothing new since the last pass and
// nothing left to copy is idle: it is truncated, so an idle store keeps no WAL file.
void checkpointer::checkpoint_once() {
    sqlite3* db = conn_->handle();
    int log = 0, copied = 0;
    if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK) return;
    const bool idle = log == copied && log == last_log_;
    last_log_ = log;
    if (copied > 0 && copied != last_copied_ && db_fd_ >= 0) ::sync_file_range(db_fd_, 0, 0, SYNC_FILE_RANGE_WRITE);  // see checkpointer.hpp
    last_copied_ = copied;
    if (log >= rewind_frames_) {
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        rewind_due_ = true;
    }
    const int64_t bytes = wal_bytes();
    if (bytes > truncate_bytes_ || (idle && bytes > 0))
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

int64_t checkpointer::wal_bytes() const {
    std::error_code ec;
    const auto size = std::filesystem::file_size(wal_path_, ec);
    return ec ? 0 : static_cast<int64_t>(size);
}

}  // namespace cogsync::storage
