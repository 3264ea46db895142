#pragma once
// `cogsync migrate` (README "Migrating off AWS"): reads the source through its public APIs
// (api/migrate/), writes through the import's path into data_dir (a store a server may be
// serving, as import allows), and keeps a checkpoint file so that a rerun resumes a stopped run
// or, after a finished one, catches up with what changed on the source.
#include "config/parse_settings.hpp"

namespace cogsync::server {

// Exit 0 when everything read was loaded, 1 when an item was refused (reported on stderr; the
// identity it belongs to is visited again by the next run).
int run_migrate(const config::migrate_command& c);

}  // namespace cogsync::server
