#pragma once
// The interfaces behind the hooks file (config/hooks_config.hpp):
//  * sink: one named consumer of the outbox, fed every event in id order by its sink_worker;
//  * push_transport / stream_transport: where a push sink / stream sink sends what it built.
// Adding a transport = one file implementing it + one row in server/hook_registry.cpp.
#include <stdexcept>
#include <string>
#include <vector>

#include "server/hooks/delivered_change.hpp"
#include "storage/record_store.hpp"

namespace cogsync::server {

// Thrown by a transport when the receiver refused a delivery for good (HTTP 4xx other than 429):
// sending it again cannot succeed, so it becomes a dead letter at once.
class delivery_refused : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Returns for a 2xx; throws delivery_refused for a 4xx other than 429 (the receiver will not
// take it), else std::runtime_error (worth a retry). `what` names the call in the message.
inline void check_delivered(unsigned status, const std::string& what) {
    if (status >= 200 && status <= 299) return;
    auto message = "HTTP " + std::to_string(status) + " from " + what;
    if (status >= 400 && status <= 499 && status != 429) throw delivery_refused(message);
    throw std::runtime_error(message);
}

// One target of a fan-out (push: one device) that failed while the others were delivered.
struct target_failure {
    std::string target;
    std::string reason;
    bool refused = false;  // for good (delivery_refused); else worth a retry
};

// Thrown by handle() after it tried every target, when some failed: the worker parks each of
// them on its own (retry or dead letter) and goes on, so one failing device delays no other.
class targets_failed : public std::runtime_error {
public:
    explicit targets_failed(std::vector<target_failure> f)
        : std::runtime_error("delivery failed for " + std::to_string(f.size()) + " target(s)"), failures(std::move(f)) {}
    std::vector<target_failure> failures;
};

class sink {
public:
    virtual ~sink() = default;
    // Delivers `e` if it concerns this sink, else does nothing. Returns once delivered (or
    // ignored); throws to have the same event retried later. May be called again for an event
    // it already delivered (after a crash): deliveries are at-least-once.
    virtual void handle(const change_event& e, storage::record_store& store) = 0;
    // False for an outbox event kind ("update", "delete", "bulk_publish") this sink never
    // handles: its worker then skips the event without parsing it.
    virtual bool wants(const std::string& kind) const { return true; }
    // Delivers `e` to one target of its fan-out again (a retry or replay of a parked delivery);
    // "" is the whole event. Throws like handle(), but never targets_failed.
    virtual void handle_target(const change_event& e, const std::string& target, storage::record_store& store) {
        handle(e, store);
    }
};

// One push notification for one device (PROTOCOL.md 7.1).
struct push_message {
    std::string event_id;   // "cogsync-<outbox id>/<device id>", unique per delivery (push_event_id)
    std::string platform;   // APNS | APNS_SANDBOX | GCM | ADM
    std::string token;
    std::string device_id;
    std::string payload;    // server/hooks/push_payload.hpp
};

class push_transport {
public:
    virtual ~push_transport() = default;
    // Throws on failure (the whole event is retried).
    virtual void send(const push_message& m) = 0;
};

// One Cognito Streams record (PROTOCOL.md 7.4).
struct stream_put {
    std::string event_id;       // "cogsync-<outbox id>" (bulk publish: "cogsync-<id>/<n>")
    std::string stream;         // the pool's StreamName
    std::string partition_key;  // the identity id
    std::string data;           // server/hooks/stream_record.hpp
};

class stream_transport {
public:
    virtual ~stream_transport() = default;
    // Throws on failure (retried).
    virtual void put(const stream_put& r) = 0;
};

}  // namespace cogsync::server
