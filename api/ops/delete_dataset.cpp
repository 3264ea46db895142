// DeleteDataset (PROTOCOL.md 5.7): answers the metadata as it was; drops records and tombstones;
// the deletion takes the next sync count so a re-created dataset never reuses a count. The
// "delete" outbox event (api/change_event.hpp) is appended in the same transaction; the
// dataset's subscriptions are kept (AWS keeps them per dataset name).
#include "api/api_error.hpp"
#include "api/change_event.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/write_then.hpp"

namespace cogsync::api::ops {

step delete_dataset(const call& c, context& ctx) {
    auto id = dataset_id_of(c);
    int64_t now = ctx.now_ms();
    auto before = std::make_shared<storage::dataset>();
    auto appended = std::make_shared<bool>(false);
    return write_then([id, now, before, appended, principal = c.principal, &ctx](storage::write_view& v) {
        v.lock_identity(id.pool, id.identity);
        *before = v.load_dataset(id);
        auto next = plan_delete(*before, principal, now);
        v.drop_records(id);
        v.save_dataset(next);
        *appended = ctx.change_events && pool_hears_changes(v.load_pool_config(id.pool));
        if (*appended) v.add_outbox(outbox_entry("delete", id, delete_event(next), now));
        return true;
    }, [before, appended, &ctx]() -> step {
        if (*appended) notify_outbox(ctx);
        return dataset_response(*before);
    });
}

}  // namespace cogsync::api::ops
