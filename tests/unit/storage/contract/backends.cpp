#include "tests/unit/storage/contract/backends.hpp"

#include <cstdlib>
#include <functional>

#include "storage/pg/pg_connection.hpp"
#include "storage/pg/pg_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace cogsync::storage::testing {
namespace {

std::unique_ptr<record_store> open_sqlite(const temp_dir& dir) {
    store_options o;
    o.path = dir.db();
    return std::make_unique<sqlite_store>(std::move(o));
}

// One schema per test directory in the database COGSYNC_TEST_PG_URL names (a throwaway server,
// scripts/pg-test-server.sh), reached through search_path.
std::unique_ptr<record_store> open_postgres(const std::string& url, const temp_dir& dir) {
    const std::string schema = "t" + std::to_string(std::hash<std::string>{}(dir.path().string()));
    pg_connection(url).run("CREATE SCHEMA IF NOT EXISTS " + schema);
    pg_options o;
    o.url = url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
    return std::make_unique<pg_store>(std::move(o));
}

}  // namespace

// With COGSYNC_TEST_PG_URL set (the unit_storage_pg test), the suite runs against PostgreSQL
// alone; otherwise against the embedded engine.
const std::vector<backend>& backends() {
    static const std::vector<backend> all = [] {
        if (const char* url = std::getenv("COGSYNC_TEST_PG_URL"); url && *url)
            return std::vector<backend>{
                {"postgres", [u = std::string(url)](const temp_dir& dir) { return open_postgres(u, dir); }}};
        return std::vector<backend>{{"sqlite", open_sqlite}};
    }();
    return all;
}

}  // namespace cogsync::storage::testing
