#include "server/hooks/stream_record.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "api/json_codec.hpp"

namespace cogsync::server {

namespace {

void write_records(api::json_writer& w, const change_event& e) {
    w.StartArray();
    for (const auto& r : e.records) {
        w.StartObject();
        api::write_string_member(w, "key", r.key);
        if (r.value) api::write_string_member(w, "value", *r.value);
        w.Key("syncCount");
        w.Int64(r.sync_count);
        w.Key("lastModifiedDate");
        w.Int64(r.last_modified_ms);
        w.Key("deviceLastModifiedDate");
        w.Int64(r.device_last_modified_ms);
        api::write_string_member(w, "op", r.op);
        w.EndObject();
    }
    w.EndArray();
}

}  // namespace

std::string kinesis_sync_records(const change_event& e) {
    rapidjson::StringBuffer buf;
    api::json_writer w(buf);
    write_records(w, e);
    return buf.GetString();
}

std::string stream_record(const change_event& e, const std::optional<std::string>& records_url) {
    rapidjson::StringBuffer buf;
    api::json_writer w(buf);
    w.StartObject();
    api::write_string_member(w, "identityPoolId", e.pool);
    api::write_string_member(w, "identityId", e.identity);
    api::write_string_member(w, "dataSetName", e.dataset);
    api::write_string_member(w, "operation", e.type == "delete" ? "remove" : "replace");
    if (!records_url) {
        w.Key("kinesisSyncRecords");
        write_records(w, e);
    }
    w.Key("lastModifiedDate");
    w.Int64(e.last_modified_ms);
    if (records_url) api::write_string_member(w, "kinesisSyncRecordsURL", *records_url);
    api::write_string_member(w, "payloadType", records_url ? "S3Url" : "Inline");
    w.Key("syncCount");
    w.Int64(e.sync_count);
    w.EndObject();
    return buf.GetString();
}

}  // namespace cogsync::server
