#pragma once
// Keep-alive connections for the outbound calls (sinks, Sync Trigger targets), pooled per target:
// scheme, host, port and ca_file. A call takes the target's most recently used idle connection,
// or connects when there is none; one request is in flight per connection, so concurrent calls to
// one target each hold their own. A connection goes back to the pool only when the reply was read
// whole and neither side asked to close it; at most `max_idle_per_target` wait per target, and one
// idle longer than `idle_timeout` (kept below the usual server keep-alive) or on which anything
// arrived while idle (the peer's FIN) is closed instead of used. Expired connections are closed
// by the pool's next call, to any target: there is no timer thread.
//
// A reused connection the peer dropped while idle fails the call before any byte of a reply; such
// a call is sent again, once, on a new connection. The request may then reach the peer twice only
// if the peer read it and closed without answering a byte, which every caller tolerates: sinks
// deliver at least once under a stable event id, and a Sync Trigger function computes a reply
// from its input. Everything, retry included, happens within the call's timeout.
//
// Thread-safe; blocks the calling thread (sink threads and outbound workers, never I/O threads).
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/hooks/http_client.hpp"

namespace cogsync::server {

class http_connection;

struct http_pool_limits {
    std::size_t max_idle_per_target = 16;
    std::chrono::milliseconds idle_timeout{30000};
};

class http_pool {
public:
    explicit http_pool(http_pool_limits limits = {});
    ~http_pool();
    http_pool(const http_pool&) = delete;
    http_pool& operator=(const http_pool&) = delete;

    // Any status is a reply; only transport failures throw http_error.
    http_reply send(const http_call& call);

    // Idle connections held now, over all targets (for tests).
    std::size_t idle() const;

private:
    struct target {
        bool tls;
        std::string host, port, ca_file;
        auto operator<=>(const target&) const = default;
    };
    using connection_ptr = std::unique_ptr<http_connection>;

    connection_ptr take(const target& t);
    void give_back(const target& t, connection_ptr c);
    http_reply exchange(const target& t, connection_ptr& c, const http_call& call,
                        std::chrono::steady_clock::time_point deadline);

    http_pool_limits limits_;
    mutable std::mutex mu_;
    std::map<target, std::vector<connection_ptr>> idle_;  // oldest first
};

// The process-wide pool behind send_http(); never destroyed, so a sink thread still running while
// the process exits cannot outlive it.
http_pool& shared_http_pool();

}  // namespace cogsync::server
