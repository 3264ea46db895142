#pragma once
#include <optional>
#include <string>
#include <variant>

#include <CLI/CLI.hpp>

#include "config/migrate_command.hpp"
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
    std::string store;   // a postgres:// URL: that database instead of data_dir's (--store)
    std::string action;  // list | replay
    std::string sink;    // "" = every sink
    int64_t id = 0;      // 0 = every dead letter
};
// `cogsync backup DEST`: a consistent copy of the store in data_dir, also while a server runs on
// it (server/backup_cli.hpp).
struct backup_command {
    std::string data_dir;
    std::string store;   // a postgres:// URL: that database instead of data_dir's (--store)
    std::string dest;
};
// `cogsync export` and `cogsync import FILE`: every dataset, record, device and pool
// configuration as NDJSON, out of the store in data_dir and into one (server/transfer_cli.hpp).
struct export_command {
    std::string data_dir;
    std::string store;   // a postgres:// URL: that database instead of data_dir's (--store)
    std::string output;  // "" or "-" = standard output
    bool chosen = false;
};
struct import_command {
    std::string data_dir;
    std::string store;   // a postgres:// URL: that database instead of data_dir's (--store)
    std::string file;    // "-" = standard input
    settings limits;     // only its max_* limits are used: those the server enforces
};
// `cogsync probe`: GET url (by default /ready at the --listen address, a wildcard host read as
// 127.0.0.1) and exit 0 on 200, 1 otherwise: a container HEALTHCHECK that needs no curl
// (server/probe_cli.hpp).
struct probe_command {
    std::string url;
    int timeout_ms = 3000;
};
// `cogsync pool create|list|delete`: identity pools of the store in data_dir, also while a server
// runs on it (server/pool_cli.hpp).
struct pool_command {
    std::string data_dir;
    std::string action;  // create | list | delete
    declared_pool pool;  // create: its members (id "" = a new one in region); delete: its id
    std::string region;
    std::string store;   // a postgres:// URL: that database instead of data_dir's (--store)
};
using command = std::variant<settings, exit_now, dead_letters_command, backup_command, export_command, import_command,
                             probe_command, pool_command, migrate_command>;

// Parses `cogsync serve [options]`, `cogsync dead-letters list|replay [options]`,
// `cogsync backup DEST [options]`, `cogsync export`, `cogsync import FILE`, `cogsync probe [options]`,
// `cogsync pool create|list|delete` or
// `cogsync config check|show` (config_commands.hpp). Flags win
// over COGSYNC_* environment variables, which win over the --config file, which wins over
// defaults. Invalid values print an error and yield exit_now{2}; so do `config` commands, with
// their exit code.
command parse_command_line(int argc, const char* const* argv);

// --store (and COGSYNC_STORE) of a command that opens the store: empty = the SQLite database
// in --data-dir, or a checked postgres:// URL.
void add_store_option(CLI::App& app, std::string& store);

// The server's limits (--max-datasets, --max-records, ...), bound to s: options of `serve` and
// of `import`, which holds what it loads to them.
void add_limit_options(CLI::App& app, settings& s);

// The options of `serve`, bound to s and listen (HOST:PORT, split by finish_settings).
void add_serve_options(CLI::App& serve, settings& s, std::string& listen);

// The checks across options, then listen split into s; the mistake when there is one.
std::optional<std::string> finish_settings(settings& s, const std::string& listen);

// The URL `probe` asks by default: /ready at a HOST:PORT listen address; nullopt when malformed.
std::optional<std::string> ready_url(const std::string& listen);

// Splits "HOST:PORT" (IPv6 as "[::1]:8080"); nullopt when malformed.
std::optional<std::pair<std::string, uint16_t>> split_host_port(const std::string& text);

}  // namespace cogsync::config
