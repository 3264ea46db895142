#include "api/transfer/export_lines.hpp"

#include "api/identity/pool_shapes.hpp"
#include "api/json_codec.hpp"

namespace cogsync::api::transfer {
namespace {

class line {
public:
    explicit line(const char* kind) : w_(buf_) {
        w_.StartObject();
        if (kind) text("kind", kind);
    }
    line& text(const char* key, std::string_view value) {
        write_string_member(w_, key, value);
        return *this;
    }
    // A member never set is stored empty and left out, as GetIdentityPoolConfiguration does.
    line& optional_text(const char* key, std::string_view value) {
        if (!value.empty()) text(key, value);
        return *this;
    }
    line& number(const char* key, int64_t value) {
        w_.Key(key);
        w_.Int64(value);
        return *this;
    }
    line& dataset(const storage::dataset_id& id) { return text("pool", id.pool).text("identity", id.identity).text("dataset", id.name); }
    json_writer& writer() { return w_; }
    std::string done() {
        w_.EndObject();
        return {buf_.GetString(), buf_.GetSize()};
    }

private:
    rapidjson::StringBuffer buf_;
    json_writer w_;
};

const char* state_name(storage::dataset_state s) { return s == storage::dataset_state::deleted ? "deleted" : "live"; }

}  // namespace

std::string header_line(int64_t created_ms, const std::string& source) {
    return line(nullptr).text("format", export_format).number("version", export_version).number("created", created_ms)
        .text("source", source).done();
}

// push_sync and cognito_streams hold the shapes GetIdentityPoolConfiguration answers, events the
// map GetCognitoEvents answers.
std::string pool_line(const storage::pool_config& c) {
    line l("pool");
    l.text("pool", c.pool);
    auto& w = l.writer();
    if (c.push_sync) {
        w.Key("push_sync");
        w.StartObject();
        w.Key("ApplicationArns");
        w.StartArray();
        for (const auto& arn : c.push_sync->application_arns) write_string(w, arn);
        w.EndArray();
        l.optional_text("RoleArn", c.push_sync->role_arn);
        w.EndObject();
    }
    if (c.cognito_streams) {
        w.Key("cognito_streams");
        w.StartObject();
        l.optional_text("StreamName", c.cognito_streams->stream_name)
            .optional_text("RoleArn", c.cognito_streams->role_arn)
            .optional_text("StreamingStatus", c.cognito_streams->streaming_status);
        w.EndObject();
    }
    w.Key("events");
    w.StartObject();
    for (const auto& [event, target] : c.events) write_string_member(w, event.c_str(), target);
    w.EndObject();
    return l.done();
}

std::string device_line(const storage::device& d) {
    return line("device").text("pool", d.pool).text("identity", d.identity).text("device_id", d.device_id)
        .text("platform", d.platform).text("token", d.token).done();
}

// Tombstone tallies are left out: the importer recomputes them from the records.
std::string dataset_line(const storage::dataset& d) {
    return line("dataset").dataset(d.id).text("state", state_name(d.state)).number("sync_count", d.sync_count)
        .number("deleted_at", d.deleted_at).number("creation_ms", d.creation_ms)
        .number("last_modified_ms", d.last_modified_ms).text("last_modified_by", d.last_modified_by)
        .number("data_storage", d.data_storage).number("num_records", d.num_records).done();
}

std::string record_line(const storage::dataset_id& id, const storage::record& r) {
    line l("record");
    l.dataset(id).text("key", r.key);
    l.writer().Key("value");
    if (r.value) write_string(l.writer(), *r.value);
    else l.writer().Null();
    return l.number("sync_count", r.sync_count).number("last_modified_ms", r.last_modified_ms)
        .text("last_modified_by", r.last_modified_by).number("device_last_modified_ms", r.device_last_modified_ms)
        .done();
}

std::string subscription_line(const storage::subscription& s) {
    return line("subscription").dataset(s.dataset).text("device_id", s.device_id).done();
}

// "identity_pool" holds the IdentityPool shape, so that import checks it as CreateIdentityPool
// does; "roles" is written only when set. created_ms 0 means unknown (a pool read through the
// API, whose answers carry no creation time).
std::string identity_pool_line(const storage::identity_pool& p) {
    line l("identity_pool");
    l.text("pool", p.id).number("created_ms", p.created_ms);
    auto& w = l.writer();
    w.Key("identity_pool");
    identity::write_pool(w, p);
    rapidjson::Document roles;
    if (!p.roles.empty() && !roles.Parse(p.roles.c_str(), p.roles.size()).HasParseError() && roles.IsObject()) {
        w.Key("roles");
        roles.Accept(w);
    }
    return l.done();
}

std::string identity_line(const storage::identity& i, const std::vector<storage::identity_login>& logins,
                          const std::vector<std::string>& merged) {
    line l("identity");
    l.text("pool", i.pool).text("identity", i.id).number("created_ms", i.created_ms)
        .number("last_modified_ms", i.last_modified_ms);
    auto& w = l.writer();
    w.Key("logins");
    w.StartArray();
    for (const auto& login : logins) {
        w.StartObject();
        write_string_member(w, "provider", login.provider);
        write_string_member(w, "subject", login.subject);
        w.EndObject();
    }
    w.EndArray();
    w.Key("merged");
    w.StartArray();
    for (const auto& source : merged) write_string(w, source);
    w.EndArray();
    return l.done();
}

}  // namespace cogsync::api::transfer
