#pragma once
// An online copy of a SQLite store: SQLite's backup API copies every page inside one read
// transaction, so the copy is one consistent snapshot even while a server writes to the store
// (WAL: the reader never blocks the writer, nor the writer it). The copy goes to a temporary file
// next to `dest`, is switched to a rollback journal so that it is one self-contained file,
// synced, and only then renamed to `dest`: a crash never leaves a partial file under that name.
#include <cstdint>
#include <string>

namespace cogsync::storage {

struct backup_result {
    int64_t pages = 0;
    int64_t bytes = 0;
    int schema_version = 0;
};

// `source`: the store's database file. Throws storage_error when it is missing or not a cogsync
// store, when `dest` already exists (a backup never overwrites), or when the copy fails.
backup_result backup_database(const std::string& source, const std::string& dest);

}  // namespace cogsync::storage
