#pragma once
// The outbox payload written by the API side (one JSON document per committed change), parsed
// into plain values for the sinks. Dates are epoch milliseconds.
//   {"type":"update"|"delete"|"bulk_publish","identityPoolId","identityId","datasetName",
//    "syncCount","deviceId"?,"lastModifiedDate",
//    "records":[{"key","value"?,"syncCount","lastModifiedDate","deviceLastModifiedDate","op"}]}
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/hooks_model.hpp"

namespace cogsync::server {

struct change_record {
    std::string key;
    std::optional<std::string> value;  // nullopt when removed
    int64_t sync_count = 0;
    int64_t last_modified_ms = 0;
    int64_t device_last_modified_ms = 0;
    std::string op = "replace";        // replace | remove
};

struct change_event {
    int64_t id = 0;          // outbox id
    std::string type;        // update | delete | bulk_publish
    std::string pool, identity, dataset;
    int64_t sync_count = 0;
    std::string device_id;   // the writer's DeviceId, "" when not sent
    int64_t last_modified_ms = 0;
    std::vector<change_record> records;
};

// The stable id receivers deduplicate on: "cogsync-<outbox id>".
std::string event_id(int64_t outbox_id);
// The id of one push delivery, "cogsync-<outbox id>/<device id>": one change pushed to many
// devices makes as many deliveries, each with its own id, the same on every retry of it.
std::string push_event_id(int64_t outbox_id, const std::string& device_id);

// Parses e.payload; missing members fall back to e's columns. Throws std::runtime_error on a
// payload that is not a JSON object.
change_event parse_change_event(const storage::outbox_event& e);

}  // namespace cogsync::server
