#pragma once
// Which engine serves the store setting (--store, COGSYNC_STORE, `store` in the config file,
// checked by config/store_url.hpp): empty = the embedded SQLite database at sqlite.path; a
// postgres:// URL = that PostgreSQL database (storage/pg/pg_store.hpp).
#include <cstddef>
#include <memory>
#include <string>

#include "storage/record_store.hpp"
#include "storage/sqlite/options.hpp"

namespace cogsync::storage {

// Connections a PostgreSQL store keeps (ignored by SQLite).
struct pool_sizes {
    std::size_t writers = 8;
    std::size_t readers = 8;
};

// Throws storage_error when the engine cannot open its data (a database it cannot reach).
std::unique_ptr<record_store> open_store(const std::string& store, store_options sqlite, pool_sizes sizes = {});

}  // namespace cogsync::storage
