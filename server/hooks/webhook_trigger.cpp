#include "server/hooks/webhook_trigger.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/api_error.hpp"

namespace cogsync::server {

using api::api_error;
using api::error_code;

http_reply call_trigger(const http_call& call, const std::string& function_arn) {
    http_reply reply;
    try {
        reply = send_http(call);
    } catch (const http_error& e) {
        spdlog::warn("Sync Trigger {}: {}", function_arn, e.what());
        if (e.timed_out()) throw api_error(error_code::lambda_socket_timeout, "The Sync Trigger timed out");
        throw api_error(error_code::invalid_lambda_function_output,
                        "The Sync Trigger function could not be reached: " + std::string(e.what()));
    } catch (const std::exception& e) {
        spdlog::warn("Sync Trigger {}: {}", function_arn, e.what());
        throw api_error(error_code::invalid_lambda_function_output,
                        "The Sync Trigger function could not be reached");
    }
    if (reply.status == 429) throw api_error(error_code::lambda_throttled, "The Sync Trigger function was throttled");
    if (reply.status < 200 || reply.status > 299) {
        spdlog::info("Sync Trigger {}: HTTP {}", function_arn, reply.status);
        throw api_error(error_code::invalid_lambda_function_output,
                        "The Sync Trigger function failed (HTTP " + std::to_string(reply.status) + ")");
    }
    return reply;
}

webhook_trigger::webhook_trigger(const config::hook_section& h)
    : url_(parse_http_url(h.get("url"), h.get("ca_file"))), timeout_(std::min(h.timeout_ms, trigger_time_limit_ms)) {}

std::string webhook_trigger::invoke(const std::string& function_arn, const std::string& event_json) {
    http_call call;
    call.url = url_;
    call.timeout = timeout_;
    call.headers = {{"Content-Type", "application/json"}, {"X-Cogsync-Function-Arn", function_arn}};
    call.body = event_json;
    return call_trigger(call, function_arn).body;
}

}  // namespace cogsync::server
