#pragma once
// `cogsync config check FILE`: validate a configuration file, naming the line and key of every
// mistake. `cogsync config show [serve options]`: print the effective configuration (file, then
// COGSYNC_* variables, then flags) as TOML that `config check` accepts.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "config/settings.hpp"

namespace cogsync::config {

class config_commands {
public:
    // Adds `config check` and `config show` to app. Show's options are bound to settings of its
    // own: CLI11 applies the environment to every subcommand, parsed or not, and would overwrite
    // the settings of `serve` through shared variables.
    explicit config_commands(CLI::App& app);
    config_commands(const config_commands&) = delete;
    config_commands& operator=(const config_commands&) = delete;

    // When the arguments ask for `config show`, applies the file to its options before parsing
    // (config_file_applies); true otherwise.
    bool apply_to_show(const std::string& path, int argc, const char* const* argv);

    // After parsing: the exit code of the config command asked for, having printed its output;
    // nullopt when none was.
    std::optional<int> run_check() const;
    std::optional<int> run_show();

private:
    CLI::App* show_;
    settings shown_;
    std::string shown_listen_;
    std::string check_file_;
};

// Applies the file to options (config_file.hpp), printing each problem; false when there was one.
bool config_file_applies(const std::string& path, CLI::App& options, settings& tables);

}  // namespace cogsync::config
