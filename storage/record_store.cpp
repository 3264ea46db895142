#include "storage/record_store.hpp"

#include <future>

namespace cogsync::storage {

read_view::listing_start read_view::start_listing(const dataset_id& id, const std::optional<session_key>& session,
                                                  const record_page_query&) {
    listing_start out;
    if (session) out.session_used = session_used(*session);
    out.current = load_dataset(id);
    out.merged = merged_datasets(id);
    return out;
}

std::vector<dataset> read_view::merged_datasets(const dataset_id& id) {
    std::vector<dataset> out;
    for (const auto& source : merged_into(id.pool, id.identity)) {
        auto merged = load_dataset({id.pool, id.identity, merged_dataset_name(id.name, source)});
        if (merged.state != dataset_state::absent) out.push_back(std::move(merged));
    }
    return out;
}

write_view::update_start write_view::start_update(const dataset_id& id, const std::vector<std::string>& keys,
                                                  const session_key& session,
                                                  bool with_config) {
    update_start out;
    if (with_config) out.config = load_pool_config(id.pool);
    lock_identity(id.pool, id.identity);
    out.current = load_dataset(id);
    out.records = find_records(id, keys);
    out.session_spent = spend_session(session);
    return out;
}

bool record_store::write(const write_job& job) {
    check_may_wait();
    std::promise<bool> result;
    auto outcome = result.get_future();
    write_async(job, [&result](bool kept, std::exception_ptr error) {
        if (error) result.set_exception(error);
        else result.set_value(kept);
    });
    return outcome.get();
}

void record_store::drain() {
    write([](write_view&) { return true; });
}

std::string record_store::node_secret(const std::string& name, const std::function<std::string()>& make) {
    if (auto known = read([&](read_view& v) { return v.node_value(name); })) return *known;
    const std::string fresh = make();
    std::string out;
    write([&](write_view& v) {
        auto raced = v.node_value(name);
        out = raced ? *raced : fresh;
        if (!raced) v.save_node_value(name, fresh);
        return true;
    });
    return out;
}

}  // namespace cogsync::storage
