#include "storage/sqlite/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "storage/record_store.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite/sqlite.hpp"

namespace cogsync::storage {
namespace {

namespace fs = std::filesystem;

// fsync on a file or a directory; throws with the path on failure.
void sync_path(const fs::path& p, int flags) {
    const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw storage_error("open " + p.string() + ": " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) throw storage_error("fsync " + p.string() + ": " + std::strerror(err));
}

storage_error already_exists(const std::string& dest) {
    return storage_error(dest + " already exists; a backup never overwrites a file");
}

void copy_pages(connection& from, connection& to, backup_result& out) {
    sqlite3_backup* b = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
    if (!b) throw storage_error(std::string("backup: ") + sqlite3_errmsg(to.handle()));
    const int step = sqlite3_backup_step(b, -1);  // every page, in one read transaction
    out.pages = sqlite3_backup_pagecount(b);
    const int finish = sqlite3_backup_finish(b);
    if (step != SQLITE_DONE || finish != SQLITE_OK)
        throw storage_error(std::string("backup: ") + sqlite3_errstr(step != SQLITE_DONE ? step : finish));
}

}  // namespace

backup_result backup_database(const std::string& source, const std::string& dest) {
    if (!fs::is_regular_file(source)) throw storage_error("no store at " + source);
    if (fs::exists(dest)) throw already_exists(dest);  // before copying; link() below is the guard
    const fs::path target = fs::absolute(dest);
    const fs::path partial = target.string() + ".partial";
    fs::remove(partial);  // left by a backup that was killed
    backup_result out;
    try {
        connection from(source, open_mode::read_write);  // read-write: WAL readers need the -shm
        sqlite3_busy_timeout(from.handle(), 10000);
        out.schema_version = read_schema_version(from);
        if (out.schema_version == 0) throw storage_error(source + " is not a cogsync store");
        {
            connection to(partial.string(), open_mode::read_write);
            copy_pages(from, to, out);
            to.exec("PRAGMA journal_mode = DELETE");
        }
        out.bytes = static_cast<int64_t>(fs::file_size(partial));
        sync_path(partial, O_RDONLY);
        // link() refuses an existing name, so a file created meanwhile is never overwritten.
        if (::link(partial.c_str(), target.c_str()) != 0) {
            const int err = errno;
            if (err == EEXIST) throw already_exists(dest);
            throw storage_error("link " + target.string() + ": " + std::strerror(err));
        }
        fs::remove(partial);
        sync_path(target.parent_path(), O_RDONLY | O_DIRECTORY);
    } catch (...) {
        std::error_code ignored;
        fs::remove(partial, ignored);
        throw;
    }
    return out;
}

}  // namespace cogsync::storage
