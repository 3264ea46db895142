#pragma once
// The Cognito Streams record of PROTOCOL.md 7.4, built from a change:
//   {"identityPoolId","identityId","dataSetName" (capital S),"operation":"replace"|"remove",
//    "kinesisSyncRecords":[{"key","value","syncCount","lastModifiedDate","deviceLastModifiedDate",
//    "op"}],"lastModifiedDate","payloadType":"Inline","syncCount"}
// `operation` is "remove" for a DeleteDataset ("delete" events), "replace" otherwise. Dates are
// epoch milliseconds. kinesisSyncRecordsURL is omitted: records are always inline (no S3).
// A removed record carries no "value".
#include <string>

#include "server/hooks/delivered_change.hpp"

namespace cogsync::server {

std::string stream_record(const change_event& e);

}  // namespace cogsync::server
