#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "api/transfer/export_lines.hpp"
#include "api/transfer/export_store.hpp"
#include "server/progress.hpp"
#include "server/transfer_cli.hpp"
#include "storage/open_store.hpp"

namespace cogsync::server {
namespace {

struct file_closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

// The export goes to "<output>.partial", renamed to <output> once complete: a failed or
// interrupted export never leaves a file that looks whole.
class output_file {
public:
    explicit output_file(const std::string& path) : path_(path), partial_(path + ".partial") {
        if (path.empty() || path == "-") return;
        file_.reset(std::fopen(partial_.c_str(), "wb"));
        if (!file_) throw std::runtime_error("cannot create " + partial_);
        std::setvbuf(file_.get(), nullptr, _IOFBF, 1 << 20);
    }
    ~output_file() {
        if (file_) std::filesystem::remove(partial_);
    }
    std::FILE* get() const { return file_ ? file_.get() : stdout; }
    void commit() {
        if (std::fflush(get()) != 0 || std::ferror(get())) throw std::runtime_error("write failed");
        if (!file_) return;
        if (::fsync(::fileno(file_.get())) != 0) throw std::runtime_error("cannot sync " + partial_);
        file_.reset();
        std::filesystem::rename(partial_, path_);
    }

private:
    std::string path_;
    std::string partial_;
    std::unique_ptr<std::FILE, file_closer> file_;
};

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int run_export(const config::export_command& c) {
    storage::store_options o;
    o.path = c.data_dir + "/cogsync.db";
    if (c.store.empty() && !std::filesystem::exists(o.path)) throw std::runtime_error("no database at " + o.path);
    const auto opened = storage::open_store(c.store, o);
    storage::record_store& store = *opened;
    output_file out(c.output);
    if (out.get() == stdout) std::setvbuf(stdout, nullptr, _IOFBF, 1 << 20);
    const auto header = api::transfer::header_line(now_ms(), "cogsync 0.1.0");
    const auto n = store.read([&](storage::read_view& v) {
        progress shown(stderr, "export", api::transfer::estimate_export_lines(v), ::isatty(STDERR_FILENO) != 0);
        int64_t lines = 0;
        auto counts = api::transfer::export_store(v, header, [&](const std::string& line) {
            std::fwrite(line.data(), 1, line.size(), out.get());
            std::fputc('\n', out.get());
            ++lines;
            shown.update(lines, lines);
        });
        out.commit();
        shown.finish("lines " + std::to_string(counts.lines) + ", pools " + std::to_string(counts.pools) + ", devices " +
                     std::to_string(counts.devices) + ", datasets " + std::to_string(counts.datasets) + ", records " +
                     std::to_string(counts.records) + ", subscriptions " + std::to_string(counts.subscriptions) +
                     ", identity pools " + std::to_string(counts.identity_pools) + ", identities " +
                     std::to_string(counts.identities));
        return counts;
    });
    return n.lines > 0 ? 0 : 1;
}

}  // namespace cogsync::server
