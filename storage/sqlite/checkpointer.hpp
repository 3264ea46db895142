#pragma once
// Background WAL checkpoints on their own connection and thread, so that no committing request
// ever runs one (the writer has wal_autocheckpoint = 0). A PASSIVE checkpoint every interval
// copies what it can without waiting; once the WAL file outgrows wal_truncate_bytes a TRUNCATE
// checkpoint resets it (when the writer leaves it a moment). Under constant writes the WAL stays
// bounded because the checkpointer asks the writer to rewind it once it holds wal_rewind_bytes
// (storage/sqlite/writer.hpp).
//
// SQLite syncs the database file only when a checkpoint completes (every frame copied), and the
// kernel may keep the pages copied by the passes before it dirty for half a minute; so at a million
// identities the completing checkpoint (the one that lets the writer rewind) flushed some 100 MB of
// scattered pages, 250-300 ms, while commits waited. After every pass that copied frames the
// checkpointer starts the writeback of the database file itself (sync_file_range with
// SYNC_FILE_RANGE_WRITE: background writes, which the kernel's writeback throttling queues behind
// the WAL's synchronous ones; an fdatasync here competed with them and raised the p99).
//
// The thread runs at nice checkpointer_nice: its copying is background work, and on a machine
// whose cores the writer and the I/O threads keep busy it took CPU from them just when commits
// were waiting. Measured with bench/ab.sh (full durability, 32 connections, median B/A of 4 rounds
// at 10,000 identities and 5 at a million): UpdateRecords/s +9 % and +7 %, their p99 -14 % and
// -15 %; sync cycles +7 % and +11 %, p99 -13 % and -13 %; /health unchanged. The cost: the
// slowest UpdateRecords of a phase at a million identities, median 99 ms before, 190 ms after
// (bench/suite.sh's max, 12 figures each), probably the rewind finding more left to copy. A
// checkpointer the scheduler starves cannot let the WAL grow without bound: the writer rewinds
// a WAL that has grown far past the rewind size by itself (writer_options::wal_backstop_frames).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/sqlite/options.hpp"
#include "storage/sqlite/sqlite.hpp"

namespace cogsync::storage {

inline constexpr int checkpointer_nice = 10;

class checkpointer {
public:
    // rewind_due is set when the writer should rewind the WAL; it must outlive this object.
    checkpointer(const store_options& opts, std::atomic<bool>& rewind_due);
    ~checkpointer();  // stops the thread; an interrupted interval is simply skipped
    // WAL frames (wal_rewind_bytes in pages) at which it asks the writer to rewind.
    int64_t rewind_frames() const { return rewind_frames_; }
    checkpointer(const checkpointer&) = delete;
    checkpointer& operator=(const checkpointer&) = delete;

private:
    void run();
    void checkpoint_once();
    int64_t wal_bytes() const;

    std::unique_ptr<connection> conn_;
    std::string wal_path_;
    std::chrono::milliseconds interval_;
    int64_t truncate_bytes_;
    int64_t rewind_frames_;
    int last_log_ = -1;     // WAL frames at the last pass (checkpoint_once)
    int last_copied_ = 0;   // frames copied as of the last pass
    int db_fd_ = -1;        // the database file, for its writeback; -1 if it could not be opened
    std::atomic<bool>& rewind_due_;

    std::mutex mu_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;  // last: starts once every member above is ready
};

}  // namespace cogsync::storage
