#pragma once
// `cogsync migrate`: copy identity pools, identities and their sync data from a live deployment
// (AWS or another cogsync) into the store in data_dir, resumably (server/migrate_cli.hpp).
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/settings.hpp"

namespace cogsync::config {

struct migrate_command {
    std::string data_dir;
    std::string store;                // a postgres:// URL: that database instead of data_dir's
    std::string source_endpoint;      // "" = AWS's endpoints for region
    std::string region = "us-east-1";
    std::string source_credentials;   // an AWS shared credentials file; "" = AWS_* variables
    std::string source_profile = "default";
    std::vector<std::string> pools;
    std::string checkpoint;           // "" = <data_dir>/migrate-checkpoint.json
    double max_rps = 10;
    int max_attempts = 8;
    settings limits;                  // only its max_* limits are used, as by import
    bool chosen = false;
};

void add_migrate_command(CLI::App& app, migrate_command& m);

}  // namespace cogsync::config
