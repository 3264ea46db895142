#include "server/backup_cli.hpp"

#include <cstdio>
#include <stdexcept>

#include "storage/sqlite/backup.hpp"

namespace cogsync::server {

int run_backup(const config::backup_command& c) {
    // A PostgreSQL store is the database's to back up: its own tools copy it consistently while
    // every node writes, which a copy made through one node could not promise.
    if (!c.store.empty())
        throw std::runtime_error("cogsync backup copies the SQLite database of --data-dir; back a PostgreSQL store "
                                 "up with pg_dump (or the database's own backups), or move its data with cogsync export");
    const std::string source = c.data_dir + "/cogsync.db";
    const auto r = storage::backup_database(source, c.dest);
    std::printf("backed up %s to %s: %lld bytes, %lld pages, schema v%d\n", source.c_str(), c.dest.c_str(),
                static_cast<long long>(r.bytes), static_cast<long long>(r.pages), r.schema_version);
    return 0;
}

}  // namespace cogsync::server
