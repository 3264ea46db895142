#include "api/change_event.hpp"

#include "api/json_codec.hpp"

namespace cogsync::api {
namespace {

void write_header(json_writer& w, const char* type, const storage::dataset& d) {
    w.Key("type");
    w.String(type);
    write_string_member(w, "identityPoolId", d.id.pool);
    write_string_member(w, "identityId", d.id.identity);
    write_string_member(w, "datasetName", d.id.name);
    w.Key("syncCount");
    w.Int64(d.sync_count);
}

void write_change(json_writer& w, const storage::record& r) {
    w.StartObject();
    write_string_member(w, "key", r.key);
    if (r.value) {
        write_string_member(w, "value", *r.value);
    }
    w.Key("syncCount");
    w.Int64(r.sync_count);
    w.Key("lastModifiedDate");
    w.Int64(r.last_modified_ms);
    w.Key("deviceLastModifiedDate");
    w.Int64(r.device_last_modified_ms);
    w.Key("op");
    w.String(r.value ? "replace" : "remove");
    w.EndObject();
}

std::string text_of(const rapidjson::StringBuffer& buf) { return {buf.GetString(), buf.GetSize()}; }

}  // namespace

std::string update_event(const storage::dataset& after, const std::vector<storage::record>& written,
                         const std::optional<std::string>& device_id) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_header(w, "update", after);
    if (device_id) {
        write_string_member(w, "deviceId", *device_id);
    }
    w.Key("lastModifiedDate");
    w.Int64(after.last_modified_ms);
    w.Key("records");
    w.StartArray();
    for (const auto& r : written) write_change(w, r);
    w.EndArray();
    w.EndObject();
    return text_of(buf);
}

std::string delete_event(const storage::dataset& after) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_header(w, "delete", after);
    w.Key("lastModifiedDate");
    w.Int64(after.last_modified_ms);
    w.Key("records");
    w.StartArray();
    w.EndArray();
    w.EndObject();
    return text_of(buf);
}

std::string bulk_publish_event(const std::string& pool) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("type");
    w.String("bulk_publish");
    write_string_member(w, "identityPoolId", pool);
    w.EndObject();
    return text_of(buf);
}

storage::outbox_event outbox_entry(std::string kind, const storage::dataset_id& id, std::string payload,
                                   int64_t now_ms) {
    return {0, id.pool, id.identity, id.name, std::move(kind), std::move(payload), now_ms};
}

bool pool_hears_changes(const std::optional<storage::pool_config>& config) {
    return config && (config->push_sync || (config->cognito_streams && config->cognito_streams->streaming_status == "ENABLED"));
}

void notify_outbox(context& ctx) {
    if (ctx.outbox) ctx.outbox->notify();
}

}  // namespace cogsync::api
