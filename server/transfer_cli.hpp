#pragma once
// `cogsync export` and `cogsync import FILE` (README "Export and import"). Both work while a
// server serves the same data directory: export reads one snapshot, import writes through the
// store's write path in short transactions that the server's writer waits for (SQLite's busy
// wait), and neither touches what a server keeps in memory (the token key, session counts).
#include "config/parse_settings.hpp"

namespace cogsync::server {

// Exit 0 once every line is written.
int run_export(const config::export_command& c);
// Exit 0 when every line loaded, 1 when any was refused (each reported as "line N: reason" on
// stderr; the valid ones are loaded all the same).
int run_import(const config::import_command& c);

}  // namespace cogsync::server
