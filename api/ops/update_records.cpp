// UpdateRecords (PROTOCOL.md 5.4). The session token is checked before anything else; the
// sync-count check, the limits, the write and spending the token happen in one store
// transaction, so a refused batch writes nothing and leaves the token usable (iOS retries
// with it after a 409).
#include "api/api_error.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/ops/tokens.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw api_error(error_code::invalid_parameter, message); }

record_patch read_patch(const rapidjson::Value& v, std::size_t index) {
    std::string where = "RecordPatches." + std::to_string(index + 1);
    if (!v.IsObject()) throw api_error(error_code::serialization, "Member '" + where + "' must be an object");
    auto op = get_string(v, "Op");
    auto key = get_string(v, "Key");
    auto count = get_long(v, "SyncCount");
    if (!op) invalid("1 validation error detected: Value null at '" + where + ".op' failed to satisfy constraint: Member must not be null");
    if (*op != "replace" && *op != "remove")
        invalid("1 validation error detected: Value '" + *op + "' at '" + where +
                ".op' failed to satisfy constraint: Member must satisfy enum value set: [replace, remove]");
    if (!key) invalid("1 validation error detected: Value null at '" + where + ".key' failed to satisfy constraint: Member must not be null");
    check_length(*key, where + ".key", 1, 1024);
    if (!count) invalid("1 validation error detected: Value null at '" + where + ".syncCount' failed to satisfy constraint: Member must not be null");
    if (*count < 0) invalid("1 validation error detected: Value at '" + where + ".syncCount' failed to satisfy constraint: Member must be greater than or equal to 0");
    record_patch p;
    p.remove = *op == "remove";
    p.key = std::move(*key);
    p.value = get_string(v, "Value");
    if (p.value) check_length(*p.value, where + ".value", 0, 1048575);
    p.sync_count = *count;
    p.device_last_modified_ms = get_timestamp_ms(v, "DeviceLastModifiedDate");
    return p;
}

struct update_input {
    std::vector<record_patch> patches;
    std::string token;
};

update_input read_input(const call& c) {
    auto body = parse_json_object(c.req.body);
    update_input in;
    if (auto device = get_string(body, "DeviceId")) check_length(*device, "deviceId", 1, 256);
    auto token = get_string(body, "SyncSessionToken");
    if (!token)
        invalid("1 validation error detected: Value null at 'syncSessionToken' failed to satisfy constraint: Member must not be null");
    in.token = std::move(*token);
    if (const auto* list = find_member(body, "RecordPatches")) {
        if (!list->IsArray()) throw api_error(error_code::serialization, "Member 'RecordPatches' must be a list");
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i) in.patches.push_back(read_patch((*list)[i], i));
    }
    return in;
}

}  // namespace

response update_records(const call& c, context& ctx) {
    auto id = dataset_id_of(c);
    auto in = read_input(c);
    auto ticket = open_session_token(ctx, id, in.token);
    update_plan plan;
    if (!in.patches.empty()) {  // an empty batch changes nothing and spends nothing (5.4)
        int64_t now = ctx.now_ms();
        ctx.store.write([&](storage::write_view& v) {
            auto current = v.load_dataset(id);
            auto find = [&](const std::string& key) { return v.find_record(id, key); };
            plan = plan_update(current, find, v.live_dataset_count(id.pool, id.identity), in.patches, ctx.limits,
                               c.principal, now);
            if (!v.spend_session(ticket.id, ticket.expires_ms))
                throw api_error(error_code::invalid_parameter, "SyncSessionToken has already been used");
            v.save_dataset(plan.next);
            for (const auto& r : plan.written) v.put_record(id, r);
            return true;
        });
    } else {
        bool used = ctx.store.read([&](storage::read_view& v) { return v.session_used(ticket.id); });
        if (used) throw api_error(error_code::invalid_parameter, "SyncSessionToken has already been used");
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
