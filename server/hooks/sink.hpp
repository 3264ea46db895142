#pragma once
// The interfaces behind the hooks file (config/hooks_config.hpp):
//  * sink: one named consumer of the outbox, fed every event in id order by its sink_worker;
//  * push_transport / stream_transport: where a push sink / stream sink sends what it built.
// Adding a transport = one file implementing it + one row in server/hook_registry.cpp.
#include <string>

#include "server/hooks/delivered_change.hpp"
#include "storage/record_store.hpp"

namespace cogsync::server {

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
