#include "api/migrate/migrate_writer.hpp"

#include "api/transfer/export_lines.hpp"
#include "api/transfer/item_line.hpp"

namespace cogsync::api::migrate {
namespace {

std::string name_of(const storage::dataset_id& id) { return id.pool + "/" + id.identity + "/" + id.name; }

std::string label_of(const transfer::import_item& item) {
    if (const auto* d = std::get_if<storage::dataset>(&item)) return "dataset " + name_of(d->id);
    if (const auto* r = std::get_if<transfer::record_entry>(&item)) return "a record of dataset " + name_of(r->dataset);
    if (const auto* i = std::get_if<transfer::identity_entry>(&item)) return "identity " + i->identity.id;
    if (const auto* p = std::get_if<storage::identity_pool>(&item)) return "identity pool " + p->id;
    if (const auto* c = std::get_if<storage::pool_config>(&item)) return "configuration of pool " + c->pool;
    return "item";
}

}  // namespace

migrate_writer::migrate_writer(storage::record_store& store, transfer::import_limits limits,
                               std::function<void(const std::string&)> report)
    : store_(store), limits_(limits), report_(std::move(report)) {}

bool migrate_writer::apply(const std::vector<transfer::import_item>& items) {
    // Line 1 is the header; item k is line k + 2.
    transfer::import_loader loader(store_, limits_, [&](int64_t line, const std::string& why) {
        report_(label_of(items.at(static_cast<std::size_t>(line - 2))) + ": " + why);
    });
    loader.add(1, transfer::header_line(0, "cogsync migrate"));
    int64_t line = 1;
    for (const auto& item : items) loader.add(++line, transfer::item_line(item));
    loader.finish();
    const auto& n = loader.counts();
    total_.lines += n.lines - 1;
    total_.loaded += n.loaded - 1;
    total_.unchanged += n.unchanged;
    total_.refused += n.refused;
    total_.datasets += n.datasets;
    total_.records += n.records;
    return n.refused == 0;
}

std::optional<std::vector<storage::record>> migrate_writer::records_at(const storage::dataset_id& id,
                                                                        int64_t sync_count) {
    return store_.read([&](storage::read_view& v) -> std::optional<std::vector<storage::record>> {
        auto d = v.load_dataset(id);
        if (d.state != storage::dataset_state::live || d.sync_count != sync_count) return std::nullopt;
        std::vector<storage::record> all;
        for (const std::string* after = nullptr;;) {
            auto page = v.records_by_key(id, after, 1000);
            all.insert(all.end(), page.begin(), page.end());
            if (page.size() < 1000) return all;
            after = &all.back().key;
        }
    });
}

}  // namespace cogsync::api::migrate
