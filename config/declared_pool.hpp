#pragma once
// An identity pool the operator declares: the configuration file's [pools."<region>:<uuid>"]
// tables (config/toml_pools.hpp), created at startup when absent and made to match the file when
// present (server/declared_pools.hpp). Plain data; the model's checks run when it is applied.
#include <map>
#include <string>

namespace cogsync::config {

struct declared_pool {
    std::string id;  // "<region>:<uuid>"
    std::string name;
    bool allow_unauthenticated = false;
    std::string developer_provider;                              // "" = none
    std::map<std::string, std::string> supported_login_providers;  // provider -> app id
};

}  // namespace cogsync::config
