#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "api/transfer/import_line.hpp"
#include "api/transfer/import_loader.hpp"
#include "server/progress.hpp"
#include "server/transfer_cli.hpp"
#include "storage/open_store.hpp"

namespace cogsync::server {
namespace {

enum class got { line, too_long, end };

// Reads up to the next newline without ever holding more than `max` bytes of it: a longer line
// is skipped to its end and reported as too long.
got next_line(std::FILE* in, std::string& line, std::size_t max, int64_t& bytes) {
    line.clear();
    bool any = false;
    bool too_long = false;
    for (int ch; (ch = getc_unlocked(in)) != EOF;) {
        any = true;
        ++bytes;
        if (ch == '\n') break;
        if (line.size() == max) too_long = true;
        if (!too_long) line.push_back(static_cast<char>(ch));
    }
    if (std::ferror(in)) throw std::runtime_error(std::string("read failed: ") + std::strerror(errno));
    if (!any) return got::end;
    if (too_long) return got::too_long;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return got::line;
}

struct file_closer {
    void operator()(std::FILE* f) const {
        if (f != stdin) std::fclose(f);
    }
};

api::transfer::import_limits limits_of(const config::settings& s) {
    return {{s.max_datasets, s.max_records, s.max_dataset_bytes}, s.max_devices, s.max_subscriptions};
}

}  // namespace

int run_import(const config::import_command& c) {
    std::unique_ptr<std::FILE, file_closer> in(c.file == "-" ? stdin : std::fopen(c.file.c_str(), "rb"));
    if (!in) throw std::runtime_error("cannot open " + c.file + ": " + std::strerror(errno));
    struct stat st {};
    const int64_t size = ::fstat(::fileno(in.get()), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
    if (c.store.empty()) std::filesystem::create_directories(c.data_dir);
    storage::store_options o;
    o.path = c.data_dir + "/cogsync.db";
    // An import can be run again to the same end (it is idempotent), so its commits need not
    // survive a power loss one by one.
    o.sync = storage::durability::normal;
    const auto opened = storage::open_store(c.store, o);
    storage::record_store& store = *opened;
    api::transfer::import_loader loader(store, limits_of(c.limits), [](int64_t line, const std::string& why) {
        std::fprintf(stderr, "line %lld: %s\n", static_cast<long long>(line), why.c_str());
    });
    progress shown(stderr, "import", size, ::isatty(STDERR_FILENO) != 0);
    std::string line;
    int64_t bytes = 0;
    for (int64_t n = 1;; ++n) {
        auto r = next_line(in.get(), line, api::transfer::max_line_bytes, bytes);
        if (r == got::end) break;
        if (r == got::too_long) loader.add_too_long(n);
        else if (!loader.add(n, line)) break;
        shown.update(n, bytes);
    }
    loader.finish();
    const auto& k = loader.counts();
    shown.finish("lines " + std::to_string(k.lines) + ", loaded " + std::to_string(k.loaded) + " (unchanged " +
                 std::to_string(k.unchanged) + "), refused " + std::to_string(k.refused) + ", datasets " +
                 std::to_string(k.datasets) + ", records " + std::to_string(k.records));
    return k.refused == 0 && k.lines > 0 ? 0 : 1;
}

}  // namespace cogsync::server
