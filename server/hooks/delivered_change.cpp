#include "server/hooks/delivered_change.hpp"

#include <rapidjson/document.h>

#include <stdexcept>

#include "api/json_codec.hpp"

namespace cogsync::server {

namespace {

std::string str(const rapidjson::Value& o, const char* name, const std::string& fallback = {}) {
    auto it = o.FindMember(name);
    return it != o.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                       : fallback;
}

int64_t num(const rapidjson::Value& o, const char* name) {
    auto it = o.FindMember(name);
    if (it == o.MemberEnd()) return 0;
    if (it->value.IsInt64()) return it->value.GetInt64();
    if (it->value.IsNumber()) return static_cast<int64_t>(it->value.GetDouble());
    return 0;
}

}  // namespace

std::string event_id(int64_t outbox_id) { return "cogsync-" + std::to_string(outbox_id); }

std::string push_event_id(int64_t outbox_id, const std::string& device_id) {
    return event_id(outbox_id) + "/" + device_id;
}

change_event parse_change_event(const storage::outbox_event& e) {
    rapidjson::Document d;
    if (api::parse_bounded(e.payload, d).IsError() || !d.IsObject())
        throw std::runtime_error("outbox event " + std::to_string(e.id) + ": payload is not a JSON object");
    change_event c;
    c.id = e.id;
    c.type = str(d, "type", e.kind);
    c.pool = str(d, "identityPoolId", e.pool);
    c.identity = str(d, "identityId", e.identity);
    c.dataset = str(d, "datasetName", e.dataset);
    c.sync_count = num(d, "syncCount");
    c.device_id = str(d, "deviceId");
    c.last_modified_ms = num(d, "lastModifiedDate");
    auto recs = d.FindMember("records");
    if (recs != d.MemberEnd() && recs->value.IsArray()) {
        for (const auto& r : recs->value.GetArray()) {
            if (!r.IsObject()) continue;
            change_record cr;
            cr.key = str(r, "key");
            auto v = r.FindMember("value");
            if (v != r.MemberEnd() && v->value.IsString())
                cr.value = std::string(v->value.GetString(), v->value.GetStringLength());
            cr.sync_count = num(r, "syncCount");
            cr.last_modified_ms = num(r, "lastModifiedDate");
            cr.device_last_modified_ms = num(r, "deviceLastModifiedDate");
            cr.op = str(r, "op", cr.value ? "replace" : "remove");
            c.records.push_back(std::move(cr));
        }
    }
    return c;
}

}  // namespace cogsync::server
