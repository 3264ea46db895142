#pragma once
// Builds the sinks and Sync Trigger targets of a hooks file. The registry maps each section's
// role and `type` to a factory and the settings that type requires; adding a type is one file
// (its transport) plus one row in hook_registry.cpp. Throws std::runtime_error naming the file
// line for an unknown type, a missing or inapplicable setting, or a sink that cannot start.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/stream_payloads.hpp"
#include "config/hooks_config.hpp"
#include "server/hooks/sink.hpp"
#include "server/hooks/trigger_router.hpp"

namespace cogsync::server {

struct built_hooks {
    // (cursor name, sink): "sink.<name>" for each configured sink, in file order, then the
    // outbox deliverer's own "internal.bulk-status" (server/hooks/bulk_status_sink.hpp).
    std::vector<std::pair<std::string, std::unique_ptr<sink>>> sinks;
    std::unique_ptr<trigger_router> triggers;
    // Configured push and stream sinks: the consumers of "update" and "delete" events.
    std::size_t change_consumers = 0;
    // The StreamNames each stream sink serves.
    std::vector<config::name_filter> stream_names;
    bool serves_stream(const std::string& stream) const;
};

// `payloads`: where stream sinks keep records beyond Kinesis's 1 MiB (null: always inline).
built_hooks build_hooks(const config::hooks_config& c, const std::string& file_name,
                        api::stream_payloads* payloads = nullptr);

// The hooks of a server started without a hooks file: one stream sink of type "directory" under
// `<data_dir>/streams` serving every StreamName (server/hooks/stream_directory.hpp).
config::hooks_config default_hooks(const std::string& data_dir);

}  // namespace cogsync::server
