#include "storage/sqlite/reader_pool.hpp"

#include <atomic>
#include <utility>

#include "storage/sqlite/connections.hpp"

namespace cogsync::storage {
namespace {

std::atomic<std::uint64_t> next_serial{1};

// This thread's connections by pool serial: a few slots of plain values, so that nothing here is
// destroyed at thread or process exit (a store destroyed after this thread's thread_locals, a
// static one, still finds them). A pool's serial is never reused, so an entry of a destroyed
// pool is never found again; the destroying thread drops its own. A thread whose slots are full
// finds its connection through the pool's map and mutex instead.
struct cached_reader {
    std::uint64_t serial;
    reader* r;
};
constexpr std::size_t cache_slots = 8;
thread_local cached_reader mine[cache_slots];
thread_local std::size_t mine_used = 0;

void remember(std::uint64_t serial, reader* r) {
    if (mine_used < cache_slots) mine[mine_used++] = {serial, r};
}

}  // namespace

reader_pool::reader_pool(std::string path) : path_(std::move(path)), serial_(next_serial.fetch_add(1)) {}

reader_pool::~reader_pool() {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < mine_used; ++i)
        if (mine[i].serial != serial_) mine[kept++] = mine[i];
    mine_used = kept;
}

reader& reader_pool::for_this_thread() {
    for (std::size_t i = 0; i < mine_used; ++i)
        if (mine[i].serial == serial_) return *mine[i].r;
    return open_for_this_thread();
}

reader& reader_pool::open_for_this_thread() {
    const auto me = std::this_thread::get_id();
    {
        std::lock_guard lock(mu_);
        if (auto it = by_thread_.find(me); it != by_thread_.end()) return *it->second;
    }
    // Opened outside the lock: other threads' first reads need not wait for a file open.
    auto fresh = std::make_unique<reader>();
    fresh->conn = open_reader(path_);
    std::lock_guard lock(mu_);
    auto& r = *by_thread_.emplace(me, std::move(fresh)).first->second;
    remember(serial_, &r);
    return r;
}

}  // namespace cogsync::storage
