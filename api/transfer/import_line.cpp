#include "api/transfer/import_line.hpp"

#include <rapidjson/error/en.h>

#include <stdexcept>

#include "api/identity/pool_shapes.hpp"
#include "api/json_codec.hpp"
#include "api/ops/pool_config_shapes.hpp"
#include "api/transfer/export_lines.hpp"
#include "api/validate.hpp"

namespace cogsync::api::transfer {
namespace {

[[noreturn]] void refuse(const std::string& why) { throw std::invalid_argument(why); }

rapidjson::Document parse(std::string_view line) {
    rapidjson::Document doc;
    if (auto ok = parse_bounded(line, doc); !ok) {
        auto at = " at byte " + std::to_string(ok.Offset() + 1);
        if (ok.Code() == rapidjson::kParseErrorStringInvalidEncoding) refuse("invalid UTF-8" + at);
        refuse(std::string("malformed JSON: ") + rapidjson::GetParseError_En(ok.Code()) + at);
    }
    if (!doc.IsObject()) refuse("not a JSON object");
    return doc;
}

std::string need_string(const rapidjson::Value& o, const char* name) {
    auto s = get_string(o, name);
    if (!s) refuse(std::string("missing member '") + name + "'");
    return std::move(*s);
}

int64_t need_int(const rapidjson::Value& o, const char* name, int64_t min = 0) {
    auto n = get_long(o, name);
    if (!n) refuse(std::string("missing member '") + name + "'");
    if (*n < min) refuse(std::string("member '") + name + "' must be at least " + std::to_string(min));
    return *n;
}

storage::dataset_id read_dataset_id(const rapidjson::Value& o) {
    storage::dataset_id id{need_string(o, "pool"), need_string(o, "identity"), need_string(o, "dataset")};
    check_pool_id(id.pool, "pool");
    check_identity_id(id.identity, "identity");
    check_dataset_name(id.name, "dataset");
    return id;
}

std::map<std::string, std::string> read_events(const rapidjson::Value* events) {
    std::map<std::string, std::string> out;
    if (!events) return out;
    if (!events->IsObject()) refuse("member 'events' must be an object");
    for (const auto& m : events->GetObject()) {
        std::string key(m.name.GetString(), m.name.GetStringLength());
        if (key != "SyncTrigger") refuse("unknown event type '" + key + "' (known: SyncTrigger)");
        if (!m.value.IsString()) refuse("events.SyncTrigger must be a string");
        std::string arn(m.value.GetString(), m.value.GetStringLength());
        ops::check_function_arn(arn);
        out.emplace(std::move(key), std::move(arn));
    }
    return out;
}

storage::pool_config read_pool(const rapidjson::Value& o) {
    storage::pool_config c;
    c.pool = need_string(o, "pool");
    check_pool_id(c.pool, "pool");
    if (const auto* p = find_member(o, "push_sync")) c.push_sync = ops::read_push_sync(*p);
    if (const auto* s = find_member(o, "cognito_streams")) c.cognito_streams = ops::read_cognito_streams(*s);
    c.events = read_events(find_member(o, "events"));
    return c;
}

storage::device read_device(const rapidjson::Value& o) {
    storage::device d{need_string(o, "device_id"), need_string(o, "pool"), need_string(o, "identity"),
                      need_string(o, "platform"), need_string(o, "token")};
    check_pool_id(d.pool, "pool");
    check_identity_id(d.identity, "identity");
    check_length(d.device_id, "device_id", 1, 256);
    if (d.platform != "APNS" && d.platform != "APNS_SANDBOX" && d.platform != "GCM" && d.platform != "ADM")
        refuse("platform '" + d.platform + "' is not one of APNS, APNS_SANDBOX, GCM, ADM");
    if (d.token.empty()) refuse("member 'token' is empty");
    return d;
}

// A delete raises the count and records it as deleted_at (PROTOCOL.md 5.7), and a re-created
// dataset counts on from there, so a live dataset is past its last delete.
storage::dataset read_dataset(const rapidjson::Value& o) {
    storage::dataset d;
    d.id = read_dataset_id(o);
    auto state = need_string(o, "state");
    if (state != "live" && state != "deleted") refuse("state '" + state + "' is not live or deleted");
    d.state = state == "live" ? storage::dataset_state::live : storage::dataset_state::deleted;
    d.sync_count = need_int(o, "sync_count", 1);
    d.deleted_at = need_int(o, "deleted_at");
    d.creation_ms = need_int(o, "creation_ms");
    d.last_modified_ms = need_int(o, "last_modified_ms");
    d.last_modified_by = need_string(o, "last_modified_by");
    d.data_storage = need_int(o, "data_storage");
    d.num_records = need_int(o, "num_records");
    if (d.state == storage::dataset_state::live && d.deleted_at >= d.sync_count)
        refuse("a live dataset's sync_count must be above its deleted_at");
    if (d.state == storage::dataset_state::deleted && d.deleted_at != d.sync_count)
        refuse("a deleted dataset's deleted_at must equal its sync_count");
    if (d.state == storage::dataset_state::deleted && (d.num_records != 0 || d.data_storage != 0))
        refuse("a deleted dataset holds no records");
    return d;
}

record_entry read_record(const rapidjson::Value& o) {
    record_entry e;
    e.dataset = read_dataset_id(o);
    auto& r = e.record;
    r.key = need_string(o, "key");
    check_length(r.key, "key", 1, 1024);
    const auto* value = find_member(o, "value");
    if (value && !value->IsString()) refuse("member 'value' must be a string or null (a tombstone)");
    r.value = string_value(value, "value");
    if (r.value) check_length(*r.value, "value", 0, 1048575);
    r.sync_count = need_int(o, "sync_count", 1);
    r.last_modified_ms = need_int(o, "last_modified_ms");
    r.last_modified_by = need_string(o, "last_modified_by");
    r.device_last_modified_ms = need_int(o, "device_last_modified_ms");
    return e;
}

storage::subscription read_subscription(const rapidjson::Value& o) {
    storage::subscription s{read_dataset_id(o), need_string(o, "device_id")};
    check_length(s.device_id, "device_id", 1, 256);
    return s;
}

const rapidjson::Value& need_array(const rapidjson::Value& o, const char* name) {
    const auto* v = find_member(o, name);
    if (!v) refuse(std::string("missing member '") + name + "'");
    if (!v->IsArray()) refuse(std::string("member '") + name + "' must be an array");
    return *v;
}

// The shape is checked as CreateIdentityPool checks its input (api/identity/pool_shapes.hpp).
storage::identity_pool read_identity_pool(const rapidjson::Value& o) {
    auto id = need_string(o, "pool");
    check_pool_id(id, "pool");
    const auto* shape = find_member(o, "identity_pool");
    if (!shape || !shape->IsObject()) refuse("member 'identity_pool' must be an object");
    if (auto named = get_string(*shape, "IdentityPoolId"); named && *named != id)
        refuse("identity_pool.IdentityPoolId '" + *named + "' is not the line's pool");
    auto p = identity::pool_from_input(*shape);
    p.id = std::move(id);
    p.created_ms = need_int(o, "created_ms");
    if (const auto* roles = find_member(o, "roles")) {
        if (!roles->IsObject()) refuse("member 'roles' must be an object");
        rapidjson::StringBuffer buf;
        json_writer w(buf);
        roles->Accept(w);
        p.roles.assign(buf.GetString(), buf.GetSize());
    }
    return p;
}

identity_entry read_identity(const rapidjson::Value& o) {
    identity_entry e;
    auto& i = e.identity;
    i.pool = need_string(o, "pool");
    i.id = need_string(o, "identity");
    check_pool_id(i.pool, "pool");
    check_identity_id(i.id, "identity");
    i.created_ms = need_int(o, "created_ms");
    i.last_modified_ms = need_int(o, "last_modified_ms");
    for (const auto& l : need_array(o, "logins").GetArray()) {
        if (!l.IsObject()) refuse("member 'logins' must be an array of objects");
        storage::identity_login login{need_string(l, "provider"), need_string(l, "subject")};
        check_length(login.provider, "logins.provider", 1, 2048);
        check_length(login.subject, "logins.subject", 1, 2048);
        e.logins.push_back(std::move(login));
    }
    for (const auto& m : need_array(o, "merged").GetArray()) {
        if (!m.IsString()) refuse("member 'merged' must be an array of identity ids");
        std::string source(m.GetString(), m.GetStringLength());
        check_identity_id(source, "merged");
        e.merged.push_back(std::move(source));
    }
    return e;
}

}  // namespace

export_header read_header(std::string_view line) {
    auto doc = parse(line);
    auto format = get_string(doc, "format");
    if (format != export_format) refuse(std::string("not a header: \"format\" must be \"") + export_format + "\"");
    export_header h;
    h.version = need_int(doc, "version", 1);
    if (h.version > export_version)
        refuse("version " + std::to_string(h.version) + " is newer than this importer's (" +
               std::to_string(export_version) + ")");
    h.created_ms = get_long(doc, "created").value_or(0);
    h.source = get_string(doc, "source").value_or("");
    return h;
}

// Members a kind does not name are ignored, so a later version 1 writer may add optional ones.
import_item read_line(std::string_view line) {
    auto doc = parse(line);
    auto kind = need_string(doc, "kind");
    if (kind == "record") return read_record(doc);
    if (kind == "dataset") return read_dataset(doc);
    if (kind == "pool") return read_pool(doc);
    if (kind == "device") return read_device(doc);
    if (kind == "subscription") return read_subscription(doc);
    if (kind == "identity") return read_identity(doc);
    if (kind == "identity_pool") return read_identity_pool(doc);
    refuse("unknown kind '" + kind + "' (version " + std::to_string(export_version) +
           " knows identity_pool, identity, pool, device, dataset, record, subscription)");
}

std::optional<std::string> kind_of(std::string_view line) {
    rapidjson::Document doc;
    if (!parse_bounded(line, doc) || !doc.IsObject()) return std::nullopt;
    const auto* kind = find_member(doc, "kind");
    if (!kind || !kind->IsString()) return std::nullopt;
    return std::string(kind->GetString(), kind->GetStringLength());
}

}  // namespace cogsync::api::transfer
