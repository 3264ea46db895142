#include "server/stream_record.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cogsync::server {

std::string stream_record(const change_event& e) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    auto str = [&](const char* k, const std::string& v) {
        w.Key(k);
        w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    };
    w.StartObject();
    str("identityPoolId", e.pool);
    str("identityId", e.identity);
    str("dataSetName", e.dataset);
    str("operation", e.type == "delete" ? "remove" : "replace");
    w.Key("kinesisSyncRecords");
    w.StartArray();
    for (const auto& r : e.records) {
        w.StartObject();
        str("key", r.key);
        if (r.value) str("value", *r.value);
        w.Key("syncCount");
        w.Int64(r.sync_count);
        w.Key("lastModifiedDate");
        w.Int64(r.last_modified_ms);
        w.Key("deviceLastModifiedDate");
        w.Int64(r.device_last_modified_ms);
        str("op", r.op);
        w.EndObject();
    }
    w.EndArray();
    w.Key("lastModifiedDate");
    w.Int64(e.last_modified_ms);
    str("payloadType", "Inline");
    w.Key("syncCount");
    w.Int64(e.sync_count);
    w.EndObject();
    return buf.GetString();
}

}  // namespace cogsync::server
