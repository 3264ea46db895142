#pragma once
// Feeds one sink the outbox in id order from its cursor, on its own thread: one delivery in
// flight; the cursor is stored (set_sink_cursor) after each page of deliveries and before each
// retry wait, so a restart or kill -9 resumes there (at-least-once: events after the stored
// cursor may be delivered again). A failure is retried after a capped exponential backoff
// (server/backoff.hpp) and logged with the sink name, the backlog and the error; other sinks
// are not held up. A payload that cannot be parsed is logged and skipped.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/backoff.hpp"
#include "server/hooks/sink.hpp"

namespace cogsync::server {

class sink_worker {
public:
    static constexpr std::size_t page_size = 64;

    // `cursor_name` is the key of this sink's cursor in the store.
    sink_worker(std::string cursor_name, std::unique_ptr<sink> s, storage::record_store& store);
    ~sink_worker();
    void start();
    void stop();  // waits for the delivery in flight (bounded by the sink's timeout)
    void wake();  // new events may be there; returns at once
    // Last event id stored as delivered (0 before start()).
    int64_t cursor() const { return cursor_.load(); }

private:
    void run();
    bool drain_page();  // true when a full page was delivered (more may follow)
    void store_cursor(int64_t id);
    void on_failure(int64_t event, const std::string& what);

    std::string name_;
    std::unique_ptr<sink> sink_;
    storage::record_store& store_;
    std::mutex m_;
    std::condition_variable cv_;
    bool woken_ = false;
    bool stopping_ = false;
    std::atomic<int64_t> cursor_{0};
    backoff backoff_;
    std::thread thread_;
};

}  // namespace cogsync::server
