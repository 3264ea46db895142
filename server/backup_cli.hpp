#pragma once
// `cogsync backup DEST`: a consistent copy of the store in --data-dir (storage/sqlite/backup.hpp),
// taken while a server may be serving it. Prints
//   "backed up <source> to <dest>: <bytes> bytes, <pages> pages, schema v<N>"
// To restore, stop the server and put the copy in place as <data-dir>/cogsync.db (no -wal or -shm
// beside it).
#include "config/parse_settings.hpp"

namespace cogsync::server {

// The exit code: 0. Failures throw.
int run_backup(const config::backup_command& c);

}  // namespace cogsync::server
