#include "storage/open_store.hpp"

#include "storage/pg/pg_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace cogsync::storage {

std::unique_ptr<record_store> open_store(const std::string& store, store_options sqlite, pool_sizes sizes) {
    if (store.empty()) return std::make_unique<sqlite_store>(std::move(sqlite));
    pg_options o;
    o.url = store;
    o.writers = sizes.writers;
    o.readers = sizes.readers;
    return std::make_unique<pg_store>(std::move(o));
}

}  // namespace cogsync::storage
