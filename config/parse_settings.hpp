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
using command = std::variant<settings, exit_now>;

// Parses `cogsync serve [options]`. Flags win over COGSYNC_* environment variables, which win
// over defaults. Invalid values print an error and yield exit_now{2}.
command parse_command_line(int argc, const char* const* argv);

// Splits "HOST:PORT" (IPv6 as "[::1]:8080"); nullopt when malformed.
std::optional<std::pair<std::string, uint16_t>> split_host_port(const std::string& text);

}  // namespace cogsync::config
