#include "server/hooks/lambda_trigger.hpp"

#include <algorithm>
#include <chrono>

#include "api/api_error.hpp"
#include "api/auth/canonical.hpp"
#include "server/hooks/webhook_trigger.hpp"

namespace cogsync::server {

lambda_trigger::lambda_trigger(const config::hook_section& h)
    : url_(parse_http_url(h.get("endpoint"), h.get("ca_file"))),
      who_{h.get("access_key"), h.get("secret_key"), h.get("region"), "lambda"},
      timeout_(std::min(h.timeout_ms, trigger_time_limit_ms)) {}

std::string lambda_trigger::invoke(const std::string& function_arn, const std::string& event_json) {
    http_call call;
    call.url = url_;
    call.url.target = "/2015-03-31/functions/" + api::auth::uri_encode(function_arn, false) + "/invocations";
    call.timeout = timeout_;
    call.headers = {{"Content-Type", "application/json"}, {"X-Amz-Invocation-Type", "RequestResponse"}};
    call.body = event_json;
    using namespace std::chrono;
    sign_sigv4(call, who_, duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
    auto reply = call_trigger(call, function_arn);
    if (!reply.header("X-Amz-Function-Error").empty())
        throw api::api_error(api::error_code::invalid_lambda_function_output,
                             "The Sync Trigger function failed: " + reply.body.substr(0, 200));
    return reply.body;
}

}  // namespace cogsync::server
