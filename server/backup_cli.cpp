#include "server/backup_cli.hpp"

#include <cstdio>

#include "storage/sqlite/backup.hpp"

namespace cogsync::server {

int run_backup(const config::backup_command& c) {
    const std::string source = c.data_dir + "/cogsync.db";
    const auto r = storage::backup_database(source, c.dest);
    std::printf("backed up %s to %s: %lld bytes, %lld pages, schema v%d\n", source.c_str(), c.dest.c_str(),
                static_cast<long long>(r.bytes), static_cast<long long>(r.pages), r.schema_version);
    return 0;
}

}  // namespace cogsync::server
