#pragma once
// Sync Trigger target "lambda": the Lambda Invoke API, POST
// /2015-03-31/functions/<percent-encoded ARN>/invocations (RequestResponse), SigV4-signed with
// service "lambda". A reply carrying X-Amz-Function-Error (the function threw) ->
// InvalidLambdaFunctionOutputException; statuses and timeouts as for webhook triggers.
#include "api/hooks.hpp"
#include "config/hooks_config.hpp"
#include "server/hooks/http_client.hpp"
#include "server/hooks/outbound_sigv4.hpp"

namespace cogsync::server {

class lambda_trigger : public api::sync_trigger_invoker {
public:
    explicit lambda_trigger(const config::hook_section& h);
    std::string invoke(const std::string& function_arn, const std::string& event_json) override;

private:
    http_url url_;
    signing_identity who_;
    std::chrono::milliseconds timeout_;
};

}  // namespace cogsync::server
