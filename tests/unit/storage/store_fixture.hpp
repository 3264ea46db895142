#pragma once
// Shared by the storage unit tests, whatever the engine: a fresh directory per test (real files,
// so that WAL is real) and small builders for datasets and records.
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "storage/record_store.hpp"

namespace cogsync::storage::testing {

class temp_dir {
public:
    temp_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "cogsync-storage-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string db() const { return (path_ / "store.db").string(); }

private:
    std::filesystem::path path_;
};

inline dataset_id make_id(std::string name = "profile", std::string identity = "us-east-1:0001",
                          std::string pool = "us-east-1:pool") {
    return {std::move(pool), std::move(identity), std::move(name)};
}

inline dataset make_dataset(const dataset_id& id, dataset_state state = dataset_state::live,
                            int64_t sync_count = 1) {
    dataset d;
    d.id = id;
    d.state = state;
    d.sync_count = sync_count;
    d.creation_ms = 1000;
    d.last_modified_ms = 2000 + sync_count;
    d.last_modified_by = "writer";
    return d;
}

inline record make_record(std::string key, std::optional<std::string> value, int64_t sync_count) {
    record r;
    r.key = std::move(key);
    r.value = std::move(value);
    r.sync_count = sync_count;
    r.last_modified_ms = 5000 + sync_count;
    r.last_modified_by = "writer";
    r.device_last_modified_ms = 4000 + sync_count;
    return r;
}

// Writes through the store and insists the write was kept.
template <class Fn>
void must_write(record_store& store, Fn fn) {
    if (!store.write([&](write_view& v) {
            fn(v);
            return true;
        }))
        throw std::logic_error("write was rolled back");
}

// Polls `ready` until it holds or a generous deadline passes, for what the store does in the
// background (session counts); returns whether it held. Polling rather than sleeping a fixed
// time keeps the test fast and tolerant of a loaded machine.
template <class Pred>
bool eventually(Pred ready) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!ready()) {
        if (std::chrono::steady_clock::now() >= give_up) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace cogsync::storage::testing
