#include "server/push_payload.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cogsync::server {

std::string push_payload(const std::string& platform, const std::string& pool, const std::string& identity,
                         const std::string& dataset, int64_t sync_count) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
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
    auto kv = [&](const char* k, const std::string& v) {
        w.Key(k);
        w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    };
    kv("source", "cognito-sync");
    kv("identityPoolId", pool);
    kv("identityId", identity);
    kv("datasetName", dataset);
    kv("syncCount", std::to_string(sync_count));
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
