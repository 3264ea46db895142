#pragma once
// Sync Trigger target "webhook": POSTs the trigger event (PROTOCOL.md 7.3) to `url` and returns
// the reply body. 2xx = the function's reply; 429 -> LambdaThrottledException; other statuses
// and unreachable targets -> InvalidLambdaFunctionOutputException; no reply within the timeout
// (at most 5 s) -> InternalErrorException.
#include "api/hooks.hpp"
#include "config/hooks_config.hpp"
#include "server/hooks/http_client.hpp"

namespace cogsync::server {

class webhook_trigger : public api::sync_trigger_invoker {
public:
    explicit webhook_trigger(const config::hook_section& h);
    std::string invoke(const std::string& function_arn, const std::string& event_json) override;

private:
    http_url url_;
    std::chrono::milliseconds timeout_;
};

// Sends `call` and maps transport failures and statuses to the api_errors above.
http_reply call_trigger(const http_call& call, const std::string& function_arn);

// The Sync Trigger time limit (7.3): a configured timeout_ms above it is cut to it.
constexpr int trigger_time_limit_ms = 5000;

}  // namespace cogsync::server
