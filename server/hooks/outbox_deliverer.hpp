#pragma once
// Delivers the outbox to every sink (PROTOCOL.md 7): one sink_worker per sink, each on its own
// thread with its own stored cursor, so a sink that is down holds up nobody else. notify()
// (the api::outbox_listener the API calls after committing outbox events) wakes them; a
// periodic tick wakes them too and trims the outbox up to the smallest stored cursor of all sinks.
//
// Nodes sharing a store deliver each sink from one node at a time: the tick takes or renews
// every sink's lease in the store (storage::write_view::take_sink_lease) at least every third of
// lease.ttl_ms, and a worker delivers only until its lease would run out unrenewed, counted from
// before the renewal was asked. A node that dies stops renewing, and another takes the sink over
// within the ttl and a tick, from the stored cursor: at least once, in order. stop() gives the
// leases up, so a node that shuts down hands its sinks over at the next tick.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "api/hooks.hpp"
#include "server/hooks/sink_worker.hpp"

namespace cogsync::server {

// This process's lease terms: a holder name no other process shares (host, pid and a random
// part, so a restarted node does not take its predecessor's leases for its own).
lease_terms node_lease_terms(int64_t ttl_ms);

class outbox_deliverer : public api::outbox_listener {
public:
    // `sinks`: (cursor name, sink) pairs; the names must be unique.
    outbox_deliverer(storage::record_store& store, std::vector<std::pair<std::string, std::unique_ptr<sink>>> sinks,
                     retry_limits limits = {}, lease_terms lease = {});
    ~outbox_deliverer() override;
    void start();
    void stop();  // idempotent; notify() after stop() does nothing
    void notify() override;
    // Each sink's cursor name, whether this node holds its lease, and the failed delivery
    // attempts this node made.
    struct sink_status {
        std::string name;
        bool leased = false;
        uint64_t failures = 0;
    };
    std::vector<sink_status> sinks() const;

private:
    void run_ticks();
    void renew_leases();
    void release_leases();
    void trim();

    storage::record_store& store_;
    lease_terms lease_;
    int64_t renewed_ms_ = 0;  // steady ms when the last renewal that held every lease was asked
    bool renew_failing_ = false;
    std::vector<std::unique_ptr<sink_worker>> workers_;
    std::mutex m_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool started_ = false;
    int64_t trimmed_ = 0;
    std::thread ticker_;
};

}  // namespace cogsync::server
