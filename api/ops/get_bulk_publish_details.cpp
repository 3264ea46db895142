// GetBulkPublishDetails (PROTOCOL.md 7.5). Developer credentials only (route table).
// {IdentityPoolId, BulkPublishStatus, BulkPublishStartTime (once one started),
// BulkPublishCompleteTime (SUCCEEDED only), FailureMessage (FAILED only)}; timestamps in epoch
// seconds like every other API timestamp (2.1). Before any publish: NOT_STARTED.
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {

step get_bulk_publish_details(const call& c, context& ctx) {
    const auto& pool = c.param("IdentityPoolId");
    check_pool_id(pool);
    auto s = ctx.store.read([&](storage::read_view& v) { return v.load_bulk_publish(pool); });
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_string_member(w, "IdentityPoolId", pool);
    write_string_member(w, "BulkPublishStatus", s.status);
    if (s.status != "NOT_STARTED" && s.start_ms > 0) {
        w.Key("BulkPublishStartTime");
        write_timestamp(w, s.start_ms);
    }
    if (s.status == "SUCCEEDED") {
        w.Key("BulkPublishCompleteTime");
        write_timestamp(w, s.complete_ms);
    }
    if (s.status == "FAILED") {
        write_string_member(w, "FailureMessage", s.failure);
    }
    w.EndObject();
    return json_response(buf);
}

}  // namespace cogsync::api::ops
