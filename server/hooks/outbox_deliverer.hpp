#pragma once
// Delivers the outbox to every sink (PROTOCOL.md 7): one sink_worker per sink, each on its own
// thread with its own stored cursor, so a sink that is down holds up nobody else. notify()
// (the api::outbox_listener the API calls after committing outbox events) wakes them; a
// periodic tick wakes them too and trims the outbox up to the smallest cursor of all sinks.
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

class outbox_deliverer : public api::outbox_listener {
public:
    // `sinks`: (cursor name, sink) pairs; the names must be unique.
    outbox_deliverer(storage::record_store& store, std::vector<std::pair<std::string, std::unique_ptr<sink>>> sinks,
                     retry_limits limits = {});
    ~outbox_deliverer() override;
    void start();
    void stop();  // idempotent; notify() after stop() does nothing
    void notify() override;
    // Each sink's cursor name, last delivered event id and failed delivery attempts.
    struct sink_status {
        std::string name;
        int64_t cursor = 0;
        uint64_t failures = 0;
    };
    std::vector<sink_status> sinks() const;

private:
    void run_ticks();
    void trim();

    storage::record_store& store_;
    std::vector<std::unique_ptr<sink_worker>> workers_;
    std::mutex m_;
    std::condition_variable cv_;
    bool stopping_ = false;
    bool started_ = false;
    int64_t trimmed_ = 0;
    std::thread ticker_;
};

}  // namespace cogsync::server
