#include "api/transfer/export_store.hpp"

#include <optional>

#include "api/transfer/export_lines.hpp"

namespace cogsync::api::transfer {
namespace {

constexpr std::size_t page_rows = 1000;

// Calls fetch(after) page by page, with after = null first and then the cursor of the previous
// page's last row, until a short page; each row goes to each_row.
template <class Cursor, class Fetch, class Each, class CursorOf>
void walk(Fetch fetch, Each each_row, CursorOf cursor_of) {
    std::optional<Cursor> after;
    for (;;) {
        auto page = fetch(after ? &*after : static_cast<const Cursor*>(nullptr));
        for (const auto& row : page) each_row(row);
        if (page.size() < page_rows) return;
        after = cursor_of(page.back());
    }
}

template <class Row>
const Row& itself(const Row& row) {
    return row;
}

const storage::dataset_id& id_of(const storage::dataset& d) { return d.id; }

template <class Each>
void walk_datasets(storage::read_view& v, Each each) {
    walk<storage::dataset_id>([&](const storage::dataset_id* after) { return v.all_datasets_page(after, page_rows); },
                              each, id_of);
}

}  // namespace

export_counts export_store(storage::read_view& v, const std::string& header,
                           const std::function<void(const std::string&)>& out) {
    export_counts n;
    auto emit = [&](const std::string& line, int64_t& kind_count) {
        out(line);
        ++n.lines;
        ++kind_count;
    };
    int64_t headers = 0;
    emit(header, headers);
    walk<std::string>([&](const std::string* after) { return v.identity_pools_page(after ? *after : "", page_rows); },
                      [&](const storage::identity_pool& p) {
                          emit(identity_pool_line(p), n.identity_pools);
                          walk<std::string>(
                              [&](const std::string* after) { return v.identities_page(p.id, after ? *after : "", page_rows); },
                              [&](const storage::identity& i) {
                                  emit(identity_line(i, v.logins_of_identity(p.id, i.id), v.merged_into(p.id, i.id)),
                                       n.identities);
                              },
                              [](const storage::identity& i) { return i.id; });
                      },
                      [](const storage::identity_pool& p) { return p.id; });
    walk<std::string>([&](const std::string* after) { return v.pool_configs_page(after ? *after : "", page_rows); },
                      [&](const storage::pool_config& c) { emit(pool_line(c), n.pools); },
                      [](const storage::pool_config& c) { return c.pool; });
    walk<storage::device>([&](const storage::device* after) { return v.devices_page(after, page_rows); },
                          [&](const storage::device& d) { emit(device_line(d), n.devices); }, itself<storage::device>);
    walk_datasets(v, [&](const storage::dataset& d) {
        emit(dataset_line(d), n.datasets);
        walk<std::string>([&](const std::string* key) { return v.records_by_key(d.id, key, page_rows); },
                          [&](const storage::record& r) { emit(record_line(d.id, r), n.records); },
                          [](const storage::record& r) { return r.key; });
    });
    walk<storage::subscription>([&](const storage::subscription* after) { return v.subscriptions_page(after, page_rows); },
                                [&](const storage::subscription& s) { emit(subscription_line(s), n.subscriptions); },
                                itself<storage::subscription>);
    return n;
}

int64_t estimate_export_lines(storage::read_view& v) {
    int64_t lines = 1;
    walk_datasets(v, [&](const storage::dataset& d) { lines += 1 + d.num_records + d.tombstones; });
    return lines;
}

}  // namespace cogsync::api::transfer
