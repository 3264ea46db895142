#pragma once
// Read-only connections, one per reading thread, owned by one store. Owning them here (not in a
// thread_local) means the store's destructor closes them, and two stores in one process never
// share a connection. Each thread remembers its own connection of each pool it used, so a read
// finds it without the pool's mutex (two I/O threads taking that mutex on every read made it a
// contended futex).
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "storage/sqlite/sqlite.hpp"

namespace cogsync::storage {

// A thread's connection and what the store keeps about its reads (sqlite_store::run_read).
struct reader {
    std::unique_ptr<connection> conn;
    int depth = 0;             // reads running on it now (a nested read shares the outer snapshot)
    bool share = false;        // the thread keeps its snapshot from one read to the next
    std::uint64_t commits = 0;  // the writer's count of commits when the open snapshot began
};

class reader_pool {
public:
    explicit reader_pool(std::string path);
    ~reader_pool();
    reader_pool(const reader_pool&) = delete;
    reader_pool& operator=(const reader_pool&) = delete;

    // The calling thread's connection, opened on first use. Only that thread may use it, and only
    // while the pool lives.
    reader& for_this_thread();

private:
    reader& open_for_this_thread();

    std::string path_;
    std::uint64_t serial_;  // unique per pool over the process's life: never a destroyed pool's
    std::mutex mu_;
    std::unordered_map<std::thread::id, std::unique_ptr<reader>> by_thread_;
};

}  // namespace cogsync::storage
