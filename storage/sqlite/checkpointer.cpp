#include "storage/sqlite/checkpointer.hpp"

#include <pthread.h>

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>

#include "storage/sqlite/connections.hpp"

namespace cogsync::storage {

checkpointer::checkpointer(const store_options& opts)
    : conn_(open_checkpointer(opts)),
      wal_path_(opts.path + "-wal"),
      interval_(std::max(1, opts.checkpoint_interval_ms)),
      truncate_bytes_(opts.wal_truncate_bytes),
      thread_([this] { run(); }) {}

checkpointer::~checkpointer() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void checkpointer::run() {
    pthread_setname_np(pthread_self(), "cogsync-ckpt");
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
void checkpointer::checkpoint_once() {
    sqlite3* db = conn_->handle();
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (wal_bytes() > truncate_bytes_)
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

int64_t checkpointer::wal_bytes() const {
    std::error_code ec;
    const auto size = std::filesystem::file_size(wal_path_, ec);
    return ec ? 0 : static_cast<int64_t>(size);
}

}  // namespace cogsync::storage
