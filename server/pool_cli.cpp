#include "server/pool_cli.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "api/identity/shapes.hpp"
#include "server/declared_pools.hpp"
#include "storage/open_store.hpp"

namespace cogsync::server {
namespace {

int create(storage::record_store& store, config::declared_pool d, const std::string& region) {
    if (d.id.empty()) d.id = api::identity::new_namespaced_id(region);
    auto p = checked_pool(d);
    p.created_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
    bool exists = false;
    bool saved = store.write([&](storage::write_view& v) {
        exists = v.find_identity_pool(p.id).has_value();
        return !exists && v.save_identity_pool(p);
    });
    if (exists) throw std::runtime_error("pool " + p.id + " exists already");
    if (!saved) throw std::runtime_error("developer provider " + p.developer_provider_name + " belongs to another identity pool");
    std::printf("%s\n", p.id.c_str());
    return 0;
}

int list(storage::record_store& store) {
    for (std::string after;;) {
        auto page = store.read([&](storage::read_view& v) { return v.identity_pools_page(after, 500); });
        for (const auto& p : page) std::printf("%s %s\n", p.id.c_str(), p.name.c_str());
        if (page.size() < 500) return 0;
        after = page.back().id;
    }
}

}  // namespace

int run_pool(const config::pool_command& c) {
    storage::store_options o;
    o.path = c.data_dir + "/cogsync.db";
    if (c.store.empty()) {
        if (c.action != "create" && !std::filesystem::exists(o.path)) throw std::runtime_error("no database at " + o.path);
        std::filesystem::create_directories(c.data_dir);
    }
    const auto opened = storage::open_store(c.store, o);
    storage::record_store& store = *opened;
    if (c.action == "create") return create(store, c.pool, c.region);
    if (c.action == "list") return list(store);
    bool deleted = store.write([&](storage::write_view& v) { return v.delete_identity_pool(c.pool.id); });
    if (!deleted) std::fprintf(stderr, "cogsync pool: no pool %s\n", c.pool.id.c_str());
    return deleted ? 0 : 1;
}

}  // namespace cogsync::server
