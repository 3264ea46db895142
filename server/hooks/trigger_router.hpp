#pragma once
// The api::sync_trigger_invoker given to the API: picks the first [trigger.*] section (file
// order) whose `functions` list serves the ARN. None -> InvalidLambdaFunctionOutputException.
#include <memory>
#include <vector>

#include "api/hooks.hpp"
#include "config/hooks_config.hpp"

namespace cogsync::server {

class trigger_router : public api::sync_trigger_invoker {
public:
    void add(config::name_filter functions, std::string name, std::unique_ptr<api::sync_trigger_invoker> target);
    std::string invoke(const std::string& function_arn, const std::string& event_json) override;

private:
    struct route {
        config::name_filter functions;
        std::string name;
        std::unique_ptr<api::sync_trigger_invoker> target;
    };
    std::vector<route> routes_;
};

}  // namespace cogsync::server
