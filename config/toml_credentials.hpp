#pragma once
// The [credentials.ACCESS_KEY] tables of the configuration file: the credentials file's sections
// (config/credentials.hpp) in TOML. The credentials file's parser checks them: each table header
// and setting is written on its own line number of an INI text (config/toml_ini.hpp), so every
// rule and message is the credentials file's and each problem names the configuration file's line.
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "config/config_file.hpp"
#include "config/credentials.hpp"

namespace cogsync::config {

// The credentials of `tables` (the value of the top-level key "credentials"); on a mistake,
// appends it to problems and returns none.
std::vector<credential> credentials_from_toml(const toml::node& tables, const std::string& path,
                                              std::vector<file_problem>& problems);

}  // namespace cogsync::config
