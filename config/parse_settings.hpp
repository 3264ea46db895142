#pragma once
#include <optional>
#include <string>
#include <variant>

#include "config/settings.hpp"

namespace cogsync::config {

// What the command line asked for: run the server with these settings, or exit now with this
// code after printing (help, version, or a usage error).
struct exit_now {
    int code;
};
// `cogsync dead-letters list|replay`: work on the dead letters of the store in data_dir, also
// while a server runs on it (server/dead_letters_cli.hpp).
struct dead_letters_command {
    std::string data_dir;
    std::string action;  // list | replay
    std::string sink;    // "" = every sink
    int64_t id = 0;      // 0 = every dead letter
};
// `cogsync backup DEST`: a consistent copy of the store in data_dir, also while a server runs on
// it (server/backup_cli.hpp).
struct backup_command {
    std::string data_dir;
    std::string dest;
};
using command = std::variant<settings, exit_now, dead_letters_command, backup_command>;

// Parses `cogsync serve [options]`, `cogsync dead-letters list|replay [options]` or
// `cogsync backup DEST [options]`. Flags win over COGSYNC_* environment variables, which win
// over defaults. Invalid values print an error and yield exit_now{2}.
command parse_command_line(int argc, const char* const* argv);

// Splits "HOST:PORT" (IPv6 as "[::1]:8080"); nullopt when malformed.
std::optional<std::pair<std::string, uint16_t>> split_host_port(const std::string& text);

}  // namespace cogsync::config
