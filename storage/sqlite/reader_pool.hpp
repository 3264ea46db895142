#pragma once
// Read-only connections, one per reading thread, owned by one store. Owning them here (not in a
// thread_local) means the store's destructor closes them, and two stores in one process never
// share a connection.
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "storage/sqlite/sqlite.hpp"

namespace cogsync::storage {

class reader_pool {
public:
    explicit reader_pool(std::string path) : path_(std::move(path)) {}

    // The calling thread's connection, opened on first use. Only that thread may use it, and only
    // while the pool lives.
    connection& for_this_thread();

private:
    std::string path_;
    std::mutex mu_;
    std::unordered_map<std::thread::id, std::unique_ptr<connection>> by_thread_;
};

}  // namespace cogsync::storage
