#pragma once
// Versioned schema: PRAGMA user_version counts the migration steps applied to the file.
#include "storage/sqlite/sqlite.hpp"

namespace cogsync::storage {

// The version this build migrates to.
int latest_schema_version();

// Applies every missing step, each in its own transaction, and returns the resulting version.
// Throws storage_error when the file was written by a newer build (its version is unknown here).
int migrate(connection& writer);

int read_schema_version(connection& c);

}  // namespace cogsync::storage
