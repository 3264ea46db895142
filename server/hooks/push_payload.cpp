#include "server/hooks/push_payload.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "api/json_codec.hpp"

namespace cogsync::server {

std::string push_payload(const std::string& platform, const std::string& pool, const std::string& identity,
                         const std::string& dataset, int64_t sync_count) {
    rapidjson::StringBuffer buf;
    api::json_writer w(buf);
    w.StartObject();
    if (platform == "APNS" || platform == "APNS_SANDBOX") {
        w.Key("aps");
        w.StartObject();
        w.Key("content-available");
        w.Int(1);
        w.EndObject();
    }
    w.Key("data");
    w.StartObject();
    api::write_string_member(w, "source", "cognito-sync");
    api::write_string_member(w, "identityPoolId", pool);
    api::write_string_member(w, "identityId", identity);
    api::write_string_member(w, "datasetName", dataset);
    api::write_string_member(w, "syncCount", std::to_string(sync_count));
    w.EndObject();
    w.EndObject();
    return buf.GetString();
}

std::string arn_platform(const std::string& application_arn) {
    auto at = application_arn.find(":app/");
    if (at == std::string::npos) return {};
    auto start = at + 5;
    auto end = application_arn.find('/', start);
    if (end == std::string::npos) return {};
    return application_arn.substr(start, end - start);
}

}  // namespace cogsync::server
