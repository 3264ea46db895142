#pragma once
// The [sink.NAME] and [trigger.NAME] tables of the configuration file: the hooks file's sections
// (config/hooks_config.hpp) in TOML, one model fed by either source. The hooks file's parser
// checks them at the configuration file's lines (config/toml_ini.hpp), with its messages:
//
//   [sink.devices]
//   type = "webhook"
//   url = "http://127.0.0.1:9000/push"
//   platforms = ["GCM", "APNS"]        # or "*"; a list or the INI file's comma text
//
//   [trigger.validate]
//   type = "webhook"
//   url = "http://127.0.0.1:9001/trigger"
//   functions = "*"
//   timeout_ms = 2000
#include <optional>
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "config/config_file.hpp"
#include "config/hooks_config.hpp"

namespace cogsync::config {

// The hooks of the file's "sink" and "trigger" tables; nullopt when it has neither. On a mistake,
// appends it to problems and returns nullopt.
std::optional<hooks_config> hooks_from_toml(const toml::table& file, const std::string& path,
                                            std::vector<file_problem>& problems);

// The hooks as the tables above, for `config show`: access keys, secret keys, and a URL's
// password and query replaced by "****".
std::string masked_hooks_toml(const hooks_config& hooks);

}  // namespace cogsync::config
