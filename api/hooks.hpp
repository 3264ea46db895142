#pragma once
// What the API layer needs from the hook machinery, implemented by the server layer
// (PROTOCOL.md 7). No Beast, no Asio here.
#include <string>

namespace cogsync::api {

// Sync Trigger (PROTOCOL.md 7.3): called synchronously inside UpdateRecords, only for identity
// principals, when the pool's Events name a SyncTrigger.
class sync_trigger_invoker {
public:
    virtual ~sync_trigger_invoker() = default;
    // Sends `event_json` to the function named `function_arn` and returns its reply document.
    // Must give up after 5 s. Throws api_error: InvalidLambdaFunctionOutputException when the
    // function fails or cannot be reached, LambdaThrottledException (429) when throttled,
    // LambdaSocketTimeoutException on a timeout.
    virtual std::string invoke(const std::string& function_arn, const std::string& event_json) = 0;
};

// Told after a commit that appended outbox events; must return at once and never throw.
class outbox_listener {
public:
    virtual ~outbox_listener() = default;
    virtual void notify() = 0;
};

}  // namespace cogsync::api
