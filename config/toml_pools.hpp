#pragma once
// The [pools."<region>:<uuid>"] tables of the configuration file:
//   name                      = "..."            (required)
//   allow_unauthenticated     = true | false     (default false)
//   developer_provider        = "login.example"  (optional)
//   supported_login_providers = { "accounts.google.com" = "client id", ... }  (optional)
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "config/config_file.hpp"
#include "config/declared_pool.hpp"

namespace cogsync::config {

// The pools of `tables` (the value of the top-level key "pools"); a mistake is appended to
// problems and its pool left out.
std::vector<declared_pool> pools_from_toml(const toml::node& tables, const std::string& path,
                                           std::vector<file_problem>& problems);

}  // namespace cogsync::config
