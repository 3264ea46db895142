#pragma once
// The Cognito Streams record of PROTOCOL.md 7.4, built from a change:
//   {"identityPoolId","identityId","dataSetName" (capital S),"operation":"replace"|"remove",
//    "kinesisSyncRecords":[{"key","value","syncCount","lastModifiedDate","deviceLastModifiedDate",
//    "op"}],"lastModifiedDate","payloadType":"Inline","syncCount"}
// `operation` is "remove" for a DeleteDataset ("delete" events), "replace" otherwise. Dates are
// epoch milliseconds. A removed record carries no "value". With `records_url` (a record beyond
// Kinesis's 1 MiB, server/hooks/stream_payloads.hpp), kinesisSyncRecords is left out and
// "kinesisSyncRecordsURL": records_url, "payloadType": "S3Url" point to it instead.
#include <optional>
#include <string>

#include "server/hooks/delivered_change.hpp"

namespace cogsync::server {

std::string stream_record(const change_event& e, const std::optional<std::string>& records_url = std::nullopt);
// The kinesisSyncRecords array alone: what a records URL serves.
std::string kinesis_sync_records(const change_event& e);

}  // namespace cogsync::server
