#pragma once
// What the outbox's unit tests share: a sink that fails on cue and records what it delivered, a
// store to append events to, and a deadline-bounded wait.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "server/hooks/sink.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

namespace cogsync::server::testing {

// Fails what `fail` says to fail (by throwing what it returns), records what it delivered.
struct scripted_sink : sink {
    std::mutex m;
    std::vector<std::pair<int64_t, std::string>> delivered;  // (event, target)
    std::function<void(int64_t event, const std::string& target)> fail = [](int64_t, const std::string&) {};
    std::vector<std::string> targets;  // "" = the event is one delivery

    void handle(const change_event& e, storage::record_store&) override {
        if (targets.empty()) return handle_one(e.id, "");
        std::vector<target_failure> failed;
        for (const auto& t : targets) {
            try {
                handle_one(e.id, t);
            } catch (const std::exception& ex) {
                failed.push_back({t, ex.what(), dynamic_cast<const delivery_refused*>(&ex) != nullptr});
            }
        }
        if (!failed.empty()) throw targets_failed(failed);
    }
    void handle_target(const change_event& e, const std::string& target, storage::record_store&) override {
        handle_one(e.id, target);
    }
    void handle_one(int64_t id, const std::string& target) {
        fail(id, target);
        std::lock_guard lock(m);
        delivered.emplace_back(id, target);
    }
    bool got(int64_t id, const std::string& target = "") {
        std::lock_guard lock(m);
        return std::find(delivered.begin(), delivered.end(), std::make_pair(id, target)) != delivered.end();
    }
};

struct fixture {
    storage::testing::temp_dir dir;
    storage::sqlite_store store{storage::testing::sqlite_options(dir, storage::durability::normal)};

    int64_t append() {
        int64_t id = 0;
        store.write([&](storage::write_view& v) {
            id = v.append_outbox({0, "p", "i", "d", "update", R"({"type":"update"})", 1});
            return true;
        });
        return id;
    }
    std::vector<storage::parked_delivery> dead() {
        return store.read([](storage::read_view& v) { return v.dead_letters("", 0, 100); });
    }
};

// Waits for `done` with a deadline; false if it never came.
inline bool eventually(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace cogsync::server::testing
