// UpdateRecords (PROTOCOL.md 5.4). The session token is checked before anything else; the
// sync-count check, the limits, the write, spending the token and appending the "update" outbox
// event (api/change_event.hpp) happen in one store transaction, so a refused batch writes
// nothing, appends nothing and leaves the token usable (iOS retries with it after a 409).
//
// Sync Trigger (7.3): when the pool's Events name a SyncTrigger and the caller is an identity
// (open mode counts as one: its caller acts as the path identity, 8), the batch is first checked
// against a read snapshot (409 and limits before any invocation), the function is invoked with no
// transaction open, and its reply becomes the effective change set (api/sync_trigger.hpp), which
// the write transaction then re-checks as usual: a write that slipped in meanwhile is a 409.
#include "api/api_error.hpp"
#include "api/change_event.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/ops/tokens.hpp"
#include "api/ops/update_input.hpp"
#include "api/sync_trigger.hpp"

namespace cogsync::api::ops {
namespace {

[[noreturn]] void token_used() { throw api_error(error_code::invalid_parameter, "SyncSessionToken has already been used"); }

bool triggers_apply(const call& c) { return c.who.kind != auth::caller::kind::developer; }

// Runs the pool's Sync Trigger, if any, and returns the patches to write (7.3). Without one (it
// was removed meanwhile), the client's patches unchanged.
std::vector<record_patch> effective_patches(const call& c, context& ctx, const storage::dataset_id& id,
                                            const std::vector<record_patch>& patches, const session_ticket& ticket,
                                            int64_t now) {
    std::optional<std::string> arn;
    trigger_snapshot snapshot{id, {}};
    ctx.store.read([&](storage::read_view& v) {
        auto config = v.load_pool_config(id.pool);
        if (!config || !config->events.count("SyncTrigger")) return 0;
        arn = config->events.at("SyncTrigger");
        if (v.session_used(ticket.id)) token_used();
        auto current = v.load_dataset(id);
        if (current.state == storage::dataset_state::live)
            for (auto& r : v.records_page(id, {})) snapshot.records.emplace(r.key, std::move(r));
        auto find = [&](const std::string& key) -> std::optional<storage::record> {
            auto it = snapshot.records.find(key);
            if (it == snapshot.records.end()) return std::nullopt;
            return it->second;
        };
        plan_update(current, find, v.live_dataset_count(id.pool, id.identity), patches, ctx.limits, c.principal, now);
        return 0;
    });
    if (!arn) return patches;
    return run_sync_trigger(ctx.trigger, *arn, snapshot, patches);
}

// Thrown out of a write that found a Sync Trigger on the pool before it changed anything: the
// function must run first, outside any transaction.
struct trigger_required {};

// One transaction: the sync-count check, the limits, the write, spending the token and the
// outbox event. With `check_trigger`, the pool's Events are read in the same transaction, so the
// common write without a trigger needs no separate read snapshot.
update_plan write_patches(const call& c, context& ctx, const storage::dataset_id& id, const update_input& in,
                          const std::vector<record_patch>& patches, const session_ticket& ticket, int64_t now,
                          bool check_trigger) {
    update_plan plan;
    ctx.store.write([&](storage::write_view& v) {
        if (check_trigger) {
            auto config = v.load_pool_config(id.pool);
            if (config && config->events.count("SyncTrigger")) throw trigger_required{};
        }
        auto current = v.load_dataset(id);
        auto find = [&](const std::string& key) { return v.find_record(id, key); };
        plan = plan_update(current, find, v.live_dataset_count(id.pool, id.identity), patches, ctx.limits,
                           c.principal, now);
        if (!v.spend_session(ticket.id, ticket.expires_ms)) token_used();
        v.save_dataset(plan.next);
        for (const auto& r : plan.written) v.put_record(id, r);
        v.append_outbox(outbox_entry("update", id, update_event(plan.next, plan.written, in.device_id), now));
        return true;
    });
    notify_outbox(ctx);
    return plan;
}

// An empty batch changes nothing and spends nothing (5.4); nor does a Sync Trigger reply that
// leaves every key unchanged. The token must still be unspent.
void check_unspent(context& ctx, const session_ticket& ticket) {
    bool used = ctx.store.read([&](storage::read_view& v) { return v.session_used(ticket.id); });
    if (used) token_used();
}

}  // namespace

response update_records(const call& c, context& ctx) {
    auto id = dataset_id_of(c);
    auto in = read_update_input(c.req.body);
    auto ticket = open_session_token(ctx, id, in.token);
    update_plan plan;
    int64_t now = ctx.now_ms();
    if (in.patches.empty()) {
        check_unspent(ctx, ticket);
    } else {
        try {
            plan = write_patches(c, ctx, id, in, in.patches, ticket, now, triggers_apply(c));
        } catch (const trigger_required&) {
            auto patches = effective_patches(c, ctx, id, in.patches, ticket, now);
            if (patches.empty()) check_unspent(ctx, ticket);
            else plan = write_patches(c, ctx, id, in, patches, ticket, now, false);
        }
    }
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("Records");
    w.StartArray();
    for (const auto& r : plan.written) write_record(w, r);
    w.EndArray();
    w.EndObject();
    return json_response(buf);
}

}  // namespace cogsync::api::ops
