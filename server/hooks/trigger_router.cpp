#include "server/hooks/trigger_router.hpp"

#include <spdlog/spdlog.h>

#include "api/api_error.hpp"

namespace cogsync::server {

void trigger_router::add(config::name_filter functions, std::string name,
                         std::unique_ptr<api::sync_trigger_invoker> target) {
    routes_.push_back({std::move(functions), std::move(name), std::move(target)});
}

std::string trigger_router::invoke(const std::string& function_arn, const std::string& event_json) {
    for (auto& r : routes_)
        if (r.functions.matches(function_arn)) return r.target->invoke(function_arn, event_json);
    spdlog::warn("Sync Trigger {}: no [trigger.*] section of the hooks file serves this function", function_arn);
    throw api::api_error(api::error_code::invalid_lambda_function_output,
                         "No Sync Trigger target is configured for " + function_arn +
                             " (add a [trigger.NAME] section serving it to the hooks file)");
}

}  // namespace cogsync::server
