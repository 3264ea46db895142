#pragma once
// The Sync Trigger contract (PROTOCOL.md 7.3, 9.15) as plain functions: the event sent to the
// function, and how its reply becomes the effective change set of UpdateRecords. No store access:
// UpdateRecords reads the snapshot, calls run_sync_trigger outside any transaction (the call may
// take up to 5 s and must never hold the writer), then writes the result with the usual checks.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/hooks.hpp"
#include "api/sync_rules.hpp"
#include "storage/model.hpp"

namespace cogsync::api {

// The dataset as read before invoking: its records by key (tombstones too); empty unless live.
// `region` is the server's configured region (--region), which the event names.
struct trigger_snapshot {
    storage::dataset_id id;
    std::map<std::string, storage::record> records;
    std::string region;
};

// {"version":2,"eventType":"SyncTrigger","region","identityPoolId","identityId",
//  "datasetName","datasetRecords":{key:{"oldValue","newValue","op"}}}: every live record
// (untouched ones as op "replace" with oldValue == newValue, 9.15) and every patched key (the
// last patch of a key wins; a remove has newValue null; a missing old value is null).
std::string sync_trigger_event(const trigger_snapshot& s, const std::vector<record_patch>& patches);

// Applies the function's reply to the client's patches. The reply must be a JSON object equal to
// the event in every member but datasetRecords, which must be an object of
// {"newValue": string|null, "op"?: "replace"|"remove"} entries; otherwise 400
// InvalidLambdaFunctionOutputException. Result, in order: one patch per patched key present in
// the reply (the client's SyncCount and DeviceLastModifiedDate, the reply's value: op remove or
// newValue null is a remove), then (by key) every other key of the reply whose value differs
// from the snapshot's live value, with the snapshot's SyncCount for it (0 when new), so the
// write re-checks it like a client patch. Keys missing from the reply are left unchanged, patched
// ones included: their patch is dropped and they are not returned.
std::vector<record_patch> apply_trigger_reply(const trigger_snapshot& s, const std::vector<record_patch>& patches,
                                              const std::string& sent_event, const std::string& reply);

// Builds the event, invokes `function_arn` and applies the reply. A null invoker is 400
// InvalidLambdaFunctionOutputException naming the function; the invoker's own api_errors
// (ILFO, LambdaThrottled, LambdaSocketTimeout) pass through.
std::vector<record_patch> run_sync_trigger(sync_trigger_invoker* invoker, const std::string& function_arn,
                                           const trigger_snapshot& s, const std::vector<record_patch>& patches);

}  // namespace cogsync::api
