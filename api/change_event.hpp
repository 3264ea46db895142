#pragma once
// The outbox payload: one sink-neutral JSON document per committed change, appended in the same
// store transaction as the change (PROTOCOL.md 7.1, 7.4, 7.5). The server side parses it
// (server/hooks/delivered_change.hpp) and feeds push, stream and bulk-publish sinks. Dates are epoch
// MILLISECONDS integers, as Cognito Streams records use (7.4), unlike the API's seconds (2.1).
//
//   {"type":"update"|"delete"|"bulk_publish","identityPoolId","identityId","datasetName",
//    "syncCount","deviceId"? (the writer's DeviceId, only if sent),"lastModifiedDate",
//    "records":[{"key","value"? (absent when removed),"syncCount","lastModifiedDate",
//                "deviceLastModifiedDate","op":"replace"|"remove"}]}
//
// "delete": syncCount is the deletion's count, records []. "bulk_publish": type and
// identityPoolId only.
#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "storage/hooks_model.hpp"
#include "storage/model.hpp"

namespace cogsync::api {

// `after` is the dataset row as written; `written` the records this call wrote.
std::string update_event(const storage::dataset& after, const std::vector<storage::record>& written,
                         const std::optional<std::string>& device_id);
// `after` is the dataset row as the delete left it (state deleted, sync_count = the deletion's).
std::string delete_event(const storage::dataset& after);
std::string bulk_publish_event(const std::string& pool);

// Whether changes to a pool have anyone to hear them: PushSync configured, or a stream with
// StreamingStatus ENABLED (a disabled stream gets no changes, PROTOCOL.md 7.4). Writes to any
// other pool append no "update" or "delete" event, so the common case costs no outbox row.
bool pool_hears_changes(const std::optional<storage::pool_config>& config);

// The outbox row carrying `payload`; kind is "update", "delete" or "bulk_publish".
storage::outbox_event outbox_entry(std::string kind, const storage::dataset_id& id, std::string payload,
                                   int64_t now_ms);

// Wakes the outbox deliverer after a commit that appended events; a no-op without a listener.
void notify_outbox(context& ctx);

}  // namespace cogsync::api
