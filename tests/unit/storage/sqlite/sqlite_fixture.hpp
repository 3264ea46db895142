#pragma once
// What only the SQLite engine's tests need on top of store_fixture.hpp: its options over a test's
// directory.
#include "storage/sqlite/sqlite_store.hpp"
#include "tests/unit/storage/store_fixture.hpp"

namespace cogsync::storage::testing {

inline store_options sqlite_options(const temp_dir& dir, durability sync = durability::full) {
    store_options o;
    o.path = dir.db();
    o.sync = sync;
    return o;
}

}  // namespace cogsync::storage::testing
