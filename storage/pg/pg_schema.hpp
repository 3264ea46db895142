#pragma once
// Versioned schema of the PostgreSQL store. migrate() brings the database to the latest version
// and is safe when several nodes start at once: it holds a session-level advisory lock while it
// reads the version and runs the missing steps, each in its own transaction.
#include "storage/pg/pg_connection.hpp"

namespace cogsync::storage {

int pg_latest_schema_version();
// Returns the version the database is at afterwards; throws when it is newer than this build.
int pg_migrate(pg_connection& c);

}  // namespace cogsync::storage
