// BulkPublish (PROTOCOL.md 7.5). Developer credentials only (route table). Asynchronous: this
// marks the pool's publish IN_PROGRESS and appends one "bulk_publish" outbox event in the same
// write transaction; the server side's outbox deliverer streams every live dataset of the pool and
// records SUCCEEDED or FAILED with save_bulk_publish. Refusals, checked in this order:
//  * streams not configured or StreamingStatus not ENABLED → 400 InvalidParameterException;
//  * a publish IN_PROGRESS → 400 DuplicateRequestException;
//  * SUCCEEDED less than ctx.bulk_publish_interval_ms (24 h) ago → 400 AlreadyStreamedException.
// A FAILED publish may be retried at once. Every pool exists (get_identity_pool_configuration.cpp).
#include "api/api_error.hpp"
#include "api/change_event.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/validate.hpp"
#include "api/write_then.hpp"

namespace cogsync::api::ops {

step bulk_publish(const call& c, context& ctx) {
    const auto& pool = c.param("IdentityPoolId");
    check_pool_id(pool);
    int64_t now = ctx.now_ms();
    return write_then([pool, now, &ctx](storage::write_view& v) {
        auto config = v.load_pool_config(pool);
        if (!config || !config->cognito_streams || config->cognito_streams->streaming_status != "ENABLED")
            throw api_error(error_code::invalid_parameter,
                            "Cognito Streams is not configured for this identity pool; bulk publish will also "
                            "fail if StreamingStatus is DISABLED");
        auto state = v.load_bulk_publish(pool);
        if (state.status == "IN_PROGRESS")
            throw api_error(error_code::duplicate_request, "A bulk publish is already in progress for this identity pool");
        if (state.status == "SUCCEEDED" && now - state.complete_ms < ctx.bulk_publish_interval_ms)
            throw api_error(error_code::already_streamed, "Bulk publish is allowed once every 24 hours");
        v.save_bulk_publish(pool, {"IN_PROGRESS", now, 0, ""});
        v.add_outbox(outbox_entry("bulk_publish", {pool, "", ""}, bulk_publish_event(pool), now));
        return true;
    }, [pool, &ctx]() -> step {
        notify_outbox(ctx);
        rapidjson::StringBuffer buf;
        json_writer w(buf);
        w.StartObject();
        write_string_member(w, "IdentityPoolId", pool);
        w.EndObject();
        return json_response(buf);
    });
}

}  // namespace cogsync::api::ops
