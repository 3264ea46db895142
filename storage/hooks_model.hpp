#pragma once
// Values behind push sync, Cognito Streams, Cognito Events and the outbox (PROTOCOL.md 7).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/model.hpp"

namespace cogsync::storage {

struct push_sync_config {
    std::vector<std::string> application_arns;  // one SNS platform application ARN per platform
    std::string role_arn;
};

struct cognito_streams_config {
    std::string stream_name;
    std::string role_arn;
    std::string streaming_status;  // "ENABLED" | "DISABLED"
};

struct pool_config {
    std::string pool;
    std::optional<push_sync_config> push_sync;
    std::optional<cognito_streams_config> cognito_streams;
    std::map<std::string, std::string> events;  // "SyncTrigger" -> Lambda function ARN
};

struct device {
    std::string device_id;  // a UUID
    std::string pool;
    std::string identity;
    std::string platform;   // APNS | APNS_SANDBOX | GCM | ADM
    std::string token;
};

// A device subscribed to a dataset name (SubscribeToDataset); it outlives DeleteDataset.
struct subscription {
    dataset_id dataset;
    std::string device_id;
};

struct bulk_publish_state {
    std::string status = "NOT_STARTED";  // NOT_STARTED | IN_PROGRESS | SUCCEEDED | FAILED
    int64_t start_ms = 0;
    int64_t complete_ms = 0;
    std::string failure;
};

// One change the hooks must hear about, appended in the same transaction as the change itself.
struct outbox_event {
    int64_t id = 0;           // assigned on append; strictly increasing in commit order
    std::string pool;
    std::string identity;
    std::string dataset;
    std::string kind;         // "update" | "delete" | "bulk_publish"
    std::string payload;      // JSON, sink-neutral (see api/change_event.hpp)
    int64_t created_ms = 0;
};

// A delivery a sink set aside instead of holding up the rest: waiting for its retry, or a dead
// letter (refused for good, or retried past the limits) kept until it is replayed.
struct parked_delivery {
    int64_t id = 0;            // assigned when first parked
    std::string sink;
    std::string target;        // the DeviceId of one push; "" for the whole event
    outbox_event event;        // a copy: the outbox is trimmed meanwhile
    bool dead = false;
    int64_t attempts = 0;
    int64_t first_failed_ms = 0;
    int64_t next_ms = 0;       // when a waiting delivery is due
    std::string reason;        // the last failure
};

struct dead_letter_count {
    std::string sink;
    int64_t dead = 0;   // dead letters held now
    int64_t total = 0;  // dead letters ever recorded: a counter, never lowered by a replay
};

}  // namespace cogsync::storage
