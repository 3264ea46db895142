#include "storage/sqlite/reader_pool.hpp"

#include "storage/sqlite/connections.hpp"

namespace cogsync::storage {

connection& reader_pool::for_this_thread() {
    const auto me = std::this_thread::get_id();
    {
        std::lock_guard lock(mu_);
        if (auto it = by_thread_.find(me); it != by_thread_.end()) return *it->second;
    }
    // Opened outside the lock: other threads' lookups need not wait for a file open.
    auto fresh = open_reader(path_);
    std::lock_guard lock(mu_);
    return *by_thread_.emplace(me, std::move(fresh)).first->second;
}

}  // namespace cogsync::storage
