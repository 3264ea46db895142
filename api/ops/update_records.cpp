// UpdateRecords (PROTOCOL.md 5.4). The session token is checked before anything else; the
// sync-count check, the limits, the write, spending the token and appending the "update" outbox
// event (api/change_event.hpp; only when some sink consumes it) happen in one store write job, so
// a refused batch writes nothing, appends nothing and leaves the token usable (iOS retries with
// it after a 409). The job reports a refusal as a value; the answer is built after the commit.
//
// Sync Trigger (7.3): when the pool's Events name a SyncTrigger and the caller is an identity
// (open mode counts as one: its caller acts as the path identity, 8), the batch is first checked
// against a read snapshot (409 and limits before any invocation), the function is invoked with no
// transaction open, on the outbound executor (an outbound_step, capped per pool), and its reply
// becomes the effective change set (api/sync_trigger.hpp), which the write job then re-checks as
// usual: a write that slipped in meanwhile is a 409.
#include "api/api_error.hpp"
#include "api/change_event.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/ops/tokens.hpp"
#include "api/ops/update_input.hpp"
#include "api/sync_trigger.hpp"

#include <memory>
#include <optional>
#include <unordered_map>

namespace cogsync::api::ops {
namespace {

api_error token_used() { return api_error(error_code::invalid_parameter, "SyncSessionToken has already been used"); }

bool triggers_apply(const call& c) { return c.who.kind != auth::caller::kind::developer; }

// What one UpdateRecords carries from step to step.
struct update_call {
    call c;
    storage::dataset_id id;
    update_input in;
    session_ticket ticket;
    int64_t now = 0;
};
using update_ptr = std::shared_ptr<const update_call>;

// What the write job found, for its continuation: the plan it wrote, or why it wrote nothing.
struct write_result {
    std::optional<api_error> refusal;
    std::optional<std::string> trigger_arn;  // a Sync Trigger must run first
    update_plan plan;
    bool appended_event = false;
};

// Runs the pool's Sync Trigger, if any, and returns the patches to write (7.3). Without one (it
// was removed meanwhile), the client's patches unchanged. Blocks on the function: runs on the
// outbound executor only.
std::vector<record_patch> effective_patches(const update_call& u, context& ctx) {
    const auto& id = u.id;
    std::optional<std::string> arn;
    trigger_snapshot snapshot{id, {}, ctx.region};
    std::optional<api_error> refusal;
    ctx.store.read([&](storage::read_view& v) {
        auto config = v.load_pool_config(id.pool);
        if (!config || !config->events.count("SyncTrigger")) return 0;
        arn = config->events.at("SyncTrigger");
        if (v.session_used(u.ticket)) {
            refusal = token_used();
            return 0;
        }
        auto current = v.load_dataset(id);
        if (current.state == storage::dataset_state::live)
            for (auto& r : v.records_page(id, {})) snapshot.records.emplace(r.key, std::move(r));
        // Non-owning (an empty owner aliasing the map): the snapshot outlives this read.
        auto find = lookup_in(std::shared_ptr<const decltype(snapshot.records)>(std::shared_ptr<void>(), &snapshot.records));
        auto live = [&] { return v.live_dataset_count(id.pool, id.identity); };
        auto checked = plan_update(current, find, live, u.in.patches, ctx.limits, u.c.principal, u.now);
        if (auto* e = std::get_if<api_error>(&checked)) refusal = std::move(*e);
        return 0;
    });
    if (refusal) throw *refusal;
    if (!arn) return u.in.patches;
    return run_sync_trigger(ctx.trigger, *arn, snapshot, u.in.patches);
}

// The write job: the sync-count check, the limits, the write, spending the token and the outbox
// event, in one transaction. Refusals are values in `out`; nothing is written then (the job
// rolls back, the token's spend with it). What it reads comes in one call (start_update): with
// `check_trigger` the pool's Events (so the common write without a trigger needs no separate
// read snapshot), and whether the pool hears changes (the outbox event).
bool write_job(storage::write_view& v, const update_call& u, const std::vector<record_patch>& patches,
               bool check_trigger, context& ctx, write_result& out) {
    out = write_result{};
    const auto& id = u.id;
    std::vector<std::string> keys;
    keys.reserve(patches.size());
    for (const auto& p : patches) keys.push_back(p.key);
    auto start = v.start_update(id, keys, u.ticket, check_trigger || ctx.change_events);
    const auto& config = start.config;
    if (check_trigger && config && config->events.count("SyncTrigger")) {
        out.trigger_arn = config->events.at("SyncTrigger");
        return false;
    }
    auto found = std::make_shared<std::unordered_map<std::string, storage::record>>();
    for (auto& r : start.records) {
        auto key = r.key;
        found->emplace(std::move(key), std::move(r));
    }
    auto live = [&] { return start.live_datasets ? *start.live_datasets : v.live_dataset_count(id.pool, id.identity); };
    auto checked = plan_update(start.current, lookup_in<std::unordered_map<std::string, storage::record>>(found), live,
                               patches, ctx.limits, u.c.principal, u.now);
    if (auto* e = std::get_if<api_error>(&checked)) {
        out.refusal = std::move(*e);
        return false;
    }
    if (!start.session_spent) {
        out.refusal = token_used();
        return false;
    }
    out.plan = std::get<update_plan>(std::move(checked));
    v.save_dataset(out.plan.next);
    v.put_records(id, out.plan.written);
    if (ctx.change_events && pool_hears_changes(config)) {
        v.add_outbox(outbox_entry("update", id, update_event(out.plan.next, out.plan.written, u.in.device_id), u.now));
        out.appended_event = true;
    }
    return true;
}

step answer(const update_plan& plan) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("Records");
    w.StartArray();
    for (const auto& r : plan.written) write_record(w, r);
    for (const auto& r : plan.unstored) write_record(w, r);
    w.EndArray();
    w.EndObject();
    return json_response(buf);
}

// An empty batch changes nothing and spends nothing (5.4); nor does a Sync Trigger reply that
// leaves every key unchanged. The token must still be unspent.
step answer_unchanged(const update_call& u, context& ctx) {
    bool used = ctx.store.read([&](storage::read_view& v) { return v.session_used(u.ticket); });
    if (used) throw token_used();
    return answer(update_plan{});
}

using patches_ptr = std::shared_ptr<const std::vector<record_patch>>;

step write_patches(update_ptr u, patches_ptr patches, bool check_trigger, context& ctx);

// After the Sync Trigger answered: write its effective change set with the usual checks (a write
// that slipped in meanwhile is a 409).
step after_trigger(const update_ptr& u, context& ctx) {
    auto patches = effective_patches(*u, ctx);
    if (patches.empty()) return answer_unchanged(*u, ctx);
    return write_patches(u, std::make_shared<const std::vector<record_patch>>(std::move(patches)), false, ctx);
}

step write_patches(update_ptr u, patches_ptr patches, bool check_trigger, context& ctx) {
    auto result = std::make_shared<write_result>();
    write_step w;
    w.job = [u, patches = std::move(patches), check_trigger, &ctx, result](storage::write_view& v) {
        return write_job(v, *u, *patches, check_trigger, ctx, *result);
    };
    w.then = [u, &ctx, result]() -> step {
        if (result->refusal) throw *result->refusal;
        if (result->trigger_arn) return outbound_step{u->id.pool, [u, &ctx] { return after_trigger(u, ctx); }};
        if (result->appended_event) notify_outbox(ctx);
        return answer(result->plan);
    };
    return w;
}

}  // namespace

step update_records(const call& c, context& ctx) {
    auto id = dataset_id_of(c);
    auto in = read_update_input(c.req.body);
    auto ticket = open_session_token(ctx, id, in.token);
    auto u = std::make_shared<const update_call>(update_call{c, id, std::move(in), ticket, ctx.now_ms()});
    if (u->in.patches.empty()) return answer_unchanged(*u, ctx);
    return write_patches(u, patches_ptr(u, &u->in.patches), triggers_apply(c), ctx);
}

}  // namespace cogsync::api::ops
