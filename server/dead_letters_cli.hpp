#pragma once
// `cogsync dead-letters list|replay`: the dead letters of the sinks (server/hooks/sink_worker.hpp)
// read or replayed straight in the store, with or without a server running on it (SQLite WAL: the
// server's sink picks a replayed delivery up on its next pass, within a second).
//   list:   one line per sink "sink <name> dead <held> total <ever>", then one line per dead
//           letter "<id> <sink> <event id>[/<DeviceId>] attempts <n> <reason>"
//   replay: prints "replayed <n>"
#include "config/parse_settings.hpp"

namespace cogsync::server {

// The exit code: 0, or 1 when --id names no dead letter (of --sink).
int run_dead_letters(const config::dead_letters_command& c);

}  // namespace cogsync::server
