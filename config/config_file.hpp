#pragma once
// The configuration file: TOML whose keys are the names of the `serve` flags without their
// leading "--" (README "## Configuration"). Its values become the options' defaults, so the flags'
// own checks validate them and COGSYNC_* variables and flags still win over them.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace cogsync::config {

struct file_problem {
    std::string file;
    int64_t line = 0;  // 0: the file as a whole (unreadable)
    std::string key;   // empty: a TOML syntax error
    std::string message;
};

// "FILE:LINE: key 'k': message"
std::string describe(const file_problem& p);

// Sets every option of `options` named in the file at `path` as that option's default, after
// the option's checks, reads its [credentials.ACCESS_KEY] tables (toml_credentials.hpp) into
// tables.credentials, its [oidc_providers."<login key>"] tables (toml_oidc_providers.hpp) into
// tables.oidc_providers, its [sink.NAME] and [trigger.NAME] tables (toml_hooks.hpp) into
// tables.file_hooks and its [pools."<region>:<uuid>"] tables (toml_pools.hpp) into tables.pools,
// and names the file in tables.config_file; returns the problems in line order (unknown keys
// included), empty when every key applied.
std::vector<file_problem> apply_config_file(const std::string& path, CLI::App& options, settings& tables);

// The file named by --config (or --config=FILE) among the arguments, else by COGSYNC_CONFIG;
// empty when neither names one.
std::string config_file_path(int argc, const char* const* argv);

}  // namespace cogsync::config
