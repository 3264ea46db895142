// cogsync: read the command line, set up logging, run the server.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "config/parse_settings.hpp"
#include "server/app.hpp"
#include "server/backup_cli.hpp"
#include "server/dead_letters_cli.hpp"
#include "server/logging.hpp"
#include "server/migrate_cli.hpp"
#include "server/pool_cli.hpp"
#include "server/transfer_cli.hpp"
#include "server/probe_cli.hpp"

namespace {

// A command-line tool: a failure is one line on stderr and exit code 1.
template <class Fn>
int run_tool(const char* name, Fn&& fn) {
    try {
        return fn();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cogsync %s: %s\n", name, e.what());
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    auto command = cogsync::config::parse_command_line(argc, argv);
    if (auto* done = std::get_if<cogsync::config::exit_now>(&command)) return done->code;
    if (auto* dead = std::get_if<cogsync::config::dead_letters_command>(&command))
        return run_tool("dead-letters", [&] { return cogsync::server::run_dead_letters(*dead); });
    if (auto* backup = std::get_if<cogsync::config::backup_command>(&command))
        return run_tool("backup", [&] { return cogsync::server::run_backup(*backup); });
    if (auto* out = std::get_if<cogsync::config::export_command>(&command))
        return run_tool("export", [&] { return cogsync::server::run_export(*out); });
    if (auto* in = std::get_if<cogsync::config::import_command>(&command))
        return run_tool("import", [&] { return cogsync::server::run_import(*in); });
    if (auto* probe = std::get_if<cogsync::config::probe_command>(&command))
        return run_tool("probe", [&] { return cogsync::server::run_probe(*probe); });
    if (auto* pool = std::get_if<cogsync::config::pool_command>(&command))
        return run_tool("pool", [&] { return cogsync::server::run_pool(*pool); });
    if (auto* migrate = std::get_if<cogsync::config::migrate_command>(&command))
        return run_tool("migrate", [&] { return cogsync::server::run_migrate(*migrate); });
    const auto& settings = std::get<cogsync::config::settings>(command);

    try {
        cogsync::server::start_logging(settings);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cogsync: %s\n", e.what());
        return 1;
    }
    try {
        return cogsync::server::run_server(settings);
    } catch (const std::exception& e) {
        spdlog::critical("fatal: {}", e.what());
        return 1;
    }
}
