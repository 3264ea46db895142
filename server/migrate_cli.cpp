#include "server/migrate_cli.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "api/migrate/migrator.hpp"
#include "server/migrate_source.hpp"
#include "server/progress.hpp"
#include "storage/open_store.hpp"

namespace cogsync::server {
namespace {

api::migrate::checkpoint load_checkpoint(const std::string& path, const std::string& source) {
    api::migrate::checkpoint cp;
    cp.source = source;
    if (!std::filesystem::exists(path)) return cp;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    cp = api::migrate::checkpoint_from_json(text.str());
    if (cp.source != source)
        throw std::runtime_error("the checkpoint " + path + " is of another source (" + cp.source +
                                 "); pass another --checkpoint");
    return cp;
}

// Written whole to "<path>.partial", synced, then renamed: a crash leaves the old one or the new.
void save_checkpoint(const std::string& path, const api::migrate::checkpoint& cp) {
    const auto partial = path + ".partial";
    const auto text = api::migrate::to_json(cp);
    std::FILE* f = std::fopen(partial.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write " + partial);
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 &&
                    ::fsync(::fileno(f)) == 0;
    std::fclose(f);
    if (!ok) throw std::runtime_error("cannot write " + partial);
    std::filesystem::rename(partial, path);
}

std::string count(const char* name, int64_t n) { return std::string(name) + " " + std::to_string(n); }

}  // namespace

int run_migrate(const config::migrate_command& c) {
    source_settings s{c.source_endpoint, c.region, load_source_credentials(c.source_credentials, c.source_profile),
                      c.max_rps, c.max_attempts};
    const auto source_name = c.source_endpoint.empty() ? "aws:" + c.region : c.source_endpoint;
    const auto cp_path = c.checkpoint.empty() ? c.data_dir + "/migrate-checkpoint.json" : c.checkpoint;
    std::filesystem::create_directories(c.data_dir);
    auto cp = load_checkpoint(cp_path, source_name);
    storage::store_options o;
    o.path = c.data_dir + "/cogsync.db";
    const auto opened = storage::open_store(c.store, o);
    storage::record_store& store = *opened;
    const auto& l = c.limits;
    api::migrate::migrate_writer writer(store, {{l.max_datasets, l.max_records, l.max_dataset_bytes}, l.max_devices,
                                                l.max_subscriptions},
                                        [](const std::string& why) { std::fprintf(stderr, "migrate: %s\n", why.c_str()); });
    migrate_source transport(s);
    api::migrate::source_api source(std::ref(transport));
    progress shown(stderr, "migrate", 0, ::isatty(STDERR_FILENO) != 0);
    auto last_save = std::chrono::steady_clock::now() - std::chrono::hours(1);
    int64_t units = 0;
    api::migrate::migrator m(source, writer, cp, [&] {
        ++units;
        shown.update(units, units);
        const auto now = std::chrono::steady_clock::now();
        if (!cp.complete && now - last_save < std::chrono::seconds(1)) return;
        save_checkpoint(cp_path, cp);
        last_save = now;
    });
    try {
        m.run(c.pools);
    } catch (...) {
        save_checkpoint(cp_path, cp);
        throw;
    }
    const auto& n = m.counts();
    const auto& w = writer.counts();
    shown.finish(count("run", cp.run) + ", " + count("identities", n.identities) + " (" +
                 count("skipped", n.identities_skipped) + ", " + count("refused", n.identities_refused) + "), " +
                 count("datasets read", n.datasets) + " (" + count("unchanged", n.datasets_unchanged) + ", " +
                 count("deleted", n.datasets_deleted) + "), " + count("records written", w.records) + ", " +
                 count("requests", source.requests()) + " (" + count("retries", transport.retries()) + "), " +
                 count("OIDC links not carried", n.oidc_links_lost));
    return w.refused == 0 ? 0 : 1;
}

}  // namespace cogsync::server
