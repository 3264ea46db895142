#pragma once
// Feeds one sink the outbox in id order from its cursor, on its own thread: one delivery in
// flight; the cursor is stored (set_sink_cursor) after each page of deliveries and before each
// retry wait, so a restart or kill -9 resumes there (at-least-once: events after the stored
// cursor may be delivered again). A failure is retried after a capped exponential backoff
// (server/backoff.hpp) and logged with the sink name, the backlog and the error; other sinks
// are not held up. A payload that cannot be parsed is logged and skipped.
//
// No delivery holds its sink up for ever: one the receiver refused for good (delivery_refused)
// or one retried past `retry_limits` becomes a dead letter (logged as an error, counted per
// sink in the store) and the sink goes on. The targets of a fan-out that failed
// (targets_failed: push devices) are parked and retried on their own schedule, without holding
// up the events after them. Parked deliveries that are due, and dead letters replayed from the
// command line (server/dead_letters_cli.hpp), are sent again between pages.
//
// The worker delivers only while its node holds the sink's lease (server/hooks/outbox_deliverer.hpp
// takes and renews it): when it gains the lease it reads the stored cursor afresh (another node
// may have moved it), and every cursor it stores renews the lease in the same transaction, so a
// node that lost the lease never moves the cursor.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/backoff.hpp"
#include "server/hooks/sink.hpp"

namespace cogsync::server {

// Who this node is to the store's sink leases, and how long a lease lasts unrenewed.
struct lease_terms {
    std::string holder;
    int64_t ttl_ms = 5000;
};

struct retry_limits {
    int64_t max_attempts = 0;                // a delivery that failed this often is dead; 0: no limit
    std::chrono::seconds max_age{86400};     // ... or has kept failing this long; 0: no limit
};

class sink_worker {
public:
    static constexpr std::size_t page_size = 64;

    // `cursor_name` is the key of this sink's cursor in the store.
    sink_worker(std::string cursor_name, std::unique_ptr<sink> s, storage::record_store& store,
                retry_limits limits = {}, lease_terms lease = {});
    ~sink_worker();
    void start();
    void stop();  // waits for the delivery in flight (bounded by the sink's timeout)
    void wake();  // new events may be there; returns at once
    // The lease is this node's until `steady_ms` (std::chrono::steady_clock, in ms); 0: not ours.
    void lease_until(int64_t steady_ms);
    bool holds_lease() const;
    // Last event id this node stored as delivered (0 before it first held the lease).
    int64_t cursor() const { return cursor_.load(); }
    const std::string& name() const { return name_; }
    // Failed delivery attempts so far: each failed try of an event or of a fan-out target.
    uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }

private:
    void run();
    bool drain_page();  // true when a full page was delivered (more may follow)
    // True once `e` is done with (delivered, parked or dead); false to retry it in line.
    bool deliver(const storage::outbox_event& e, const change_event& c);
    void retry_parked();
    void park(const storage::outbox_event& e, const std::string& target, const std::string& reason, bool refused,
              int64_t attempts, int64_t first_failed_ms);
    bool past_limits(int64_t attempts, int64_t first_failed_ms, int64_t now) const;
    bool stopping();
    bool may_deliver() { return !stopping() && holds_lease(); }
    // False when the lease was lost: nothing was stored, and the worker stops delivering.
    bool store_cursor(int64_t id);
    void on_failure(int64_t event, const std::string& what);

    std::string name_;
    std::unique_ptr<sink> sink_;
    storage::record_store& store_;
    retry_limits limits_;
    lease_terms lease_;
    std::atomic<int64_t> lease_until_{0};
    bool delivering_ = false;  // held the lease at the last turn of run()
    std::mutex m_;
    std::condition_variable cv_;
    bool woken_ = false;
    bool stopping_ = false;
    std::atomic<int64_t> cursor_{0};
    std::atomic<uint64_t> failures_{0};
    backoff backoff_;
    int64_t head_event_ = 0;  // the event retried in line: its attempts and first failure
    int64_t head_attempts_ = 0;
    int64_t head_first_ms_ = 0;
    int64_t next_due_ms_ = INT64_MAX;  // earliest retry this worker parked since its last pass

    std::thread thread_;
};

}  // namespace cogsync::server
