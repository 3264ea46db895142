#include "storage/sqlite/reader_pool.hpp"

#include <atomic>
#include <utility>
#include <vector>

#include "storage/sqlite/connections.hpp"

namespace cogsync::storage {
namespace {

std::atomic<std::uint64_t> next_serial{1};

// This thread's connections by pool serial. A pool's serial is never reused, so an entry of a
// destroyed pool is never found again; the destroying thread drops its own, other threads' stay
// (dangling and unused: a thread reads from few stores in its life).
thread_local std::vector<std::pair<std::uint64_t, reader*>> mine;

}  // namespace

reader_pool::reader_pool(std::string path) : path_(std::move(path)), serial_(next_serial.fetch_add(1)) {}

reader_pool::~reader_pool() {
    std::erase_if(mine, [this](const auto& entry) { return entry.first == serial_; });
}

reader& reader_pool::for_this_thread() {
    for (const auto& [serial, conn] : mine)
        if (serial == serial_) return *conn;
    return open_for_this_thread();
}

reader& reader_pool::open_for_this_thread() {
    // Opened outside the lock: other threads' first reads need not wait for a file open.
    auto fresh = std::make_unique<reader>();
    fresh->conn = open_reader(path_);
    std::lock_guard lock(mu_);
    auto& r = *by_thread_.emplace(std::this_thread::get_id(), std::move(fresh)).first->second;
    mine.emplace_back(serial_, &r);
    return r;
}

}  // namespace cogsync::storage
