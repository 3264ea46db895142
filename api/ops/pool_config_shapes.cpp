#include "api/ops/pool_config_shapes.hpp"

#include <openssl/rand.h>

#include <regex>

#include "api/api_error.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {
namespace {

[[noreturn]] void invalid(const std::string& member, const std::string& why) {
    throw api_error(error_code::invalid_parameter,
                    "1 validation error detected: Value at '" + member + "' failed to satisfy constraint: " + why);
}

void check_pattern(const std::string& value, const std::string& member, const std::regex& re, const char* text) {
    if (!std::regex_match(value, re))
        invalid(member, std::string("Member must satisfy regular expression pattern: ") + text);
}

void check_role_arn(const std::string& arn, const std::string& member) {
    static const std::regex re(R"(arn:aws:iam::\d+:role/.*)");
    check_length(arn, member, 20, 2048);
    check_pattern(arn, member, re, "arn:aws:iam::\\d+:role/.*");
}

void check_application_arn(const std::string& arn, const std::string& member) {
    static const std::regex re(R"(arn:aws:sns:[-0-9a-z]+:\d+:app/[A-Z_]+/[a-zA-Z0-9_.-]+)");
    check_pattern(arn, member, re, "arn:aws:sns:[-0-9a-z]+:\\d+:app/[A-Z_]+/[a-zA-Z0-9_.-]+");
}

// The model gives StreamName only a length; the name goes out in headers (X-Cogsync-Stream) and
// names a Kinesis stream, so it takes Kinesis's own StreamName pattern too.
void check_stream_name(const std::string& name, const std::string& member) {
    static const std::regex re(R"([a-zA-Z0-9_.-]+)");
    check_length(name, member, 1, 128);
    check_pattern(name, member, re, "[a-zA-Z0-9_.-]+");
}

void require_object(const rapidjson::Value& v, const char* member) {
    if (!v.IsObject()) throw api_error(error_code::serialization, std::string("Member '") + member + "' must be an object");
}

}  // namespace

void check_function_arn(const std::string& arn) {
    static const char* pattern = R"(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d+:function:[a-zA-Z0-9_-]+(:(\$LATEST|[a-zA-Z0-9_-]+))?)";
    static const std::regex re(pattern);
    if (arn.size() > 256 || !std::regex_match(arn, re))
        invalid("events.SyncTrigger", std::string("Member must be a Lambda function ARN matching ") + pattern);
}

storage::push_sync_config read_push_sync(const rapidjson::Value& v) {
    require_object(v, "PushSync");
    storage::push_sync_config p;
    if (const auto* list = find_member(v, "ApplicationArns")) {
        if (!list->IsArray()) throw api_error(error_code::serialization, "Member 'ApplicationArns' must be a list");
        for (const auto& arn : list->GetArray()) {
            if (!arn.IsString()) throw api_error(error_code::serialization, "Member 'ApplicationArns' must hold strings");
            p.application_arns.emplace_back(arn.GetString(), arn.GetStringLength());
            check_application_arn(p.application_arns.back(), "pushSync.applicationArns.member");
        }
    }
    if (auto role = get_string(v, "RoleArn")) {
        check_role_arn(*role, "pushSync.roleArn");
        p.role_arn = std::move(*role);
    }
    return p;
}

storage::cognito_streams_config read_cognito_streams(const rapidjson::Value& v) {
    require_object(v, "CognitoStreams");
    storage::cognito_streams_config s;
    if (auto name = get_string(v, "StreamName")) {
        check_stream_name(*name, "cognitoStreams.streamName");
        s.stream_name = std::move(*name);
    }
    if (auto role = get_string(v, "RoleArn")) {
        check_role_arn(*role, "cognitoStreams.roleArn");
        s.role_arn = std::move(*role);
    }
    if (auto status = get_string(v, "StreamingStatus")) {
        if (*status != "ENABLED" && *status != "DISABLED")
            throw api_error(error_code::invalid_parameter,
                            "1 validation error detected: Value '" + *status +
                                "' at 'cognitoStreams.streamingStatus' failed to satisfy constraint: "
                                "Member must satisfy enum value set: [ENABLED, DISABLED]");
        s.streaming_status = std::move(*status);
    }
    return s;
}

void write_pool_config(json_writer& w, const std::string& pool, const std::optional<storage::pool_config>& c) {
    auto optional_member = [&](const char* name, const std::string& value) {
        if (value.empty()) return;
        write_string_member(w, name, value);
    };
    w.StartObject();
    write_string_member(w, "IdentityPoolId", pool);
    if (c && c->push_sync) {
        w.Key("PushSync");
        w.StartObject();
        w.Key("ApplicationArns");
        w.StartArray();
        for (const auto& arn : c->push_sync->application_arns) write_string(w, arn);
        w.EndArray();
        optional_member("RoleArn", c->push_sync->role_arn);
        w.EndObject();
    }
    if (c && c->cognito_streams) {
        w.Key("CognitoStreams");
        w.StartObject();
        optional_member("StreamName", c->cognito_streams->stream_name);
        optional_member("RoleArn", c->cognito_streams->role_arn);
        optional_member("StreamingStatus", c->cognito_streams->streaming_status);
        w.EndObject();
    }
    w.EndObject();
}

std::string platform_of_arn(const std::string& arn) {
    auto at = arn.find(":app/");
    if (at == std::string::npos) return "";
    at += 5;
    auto slash = arn.find('/', at);
    if (slash == std::string::npos) return "";
    return arn.substr(at, slash - at);
}

void require_push_platform(const std::optional<storage::pool_config>& c, const std::string& platform) {
    if (c && c->push_sync)
        for (const auto& arn : c->push_sync->application_arns)
            if (platform_of_arn(arn) == platform) return;
    throw api_error(error_code::invalid_configuration, "Push sync is not configured for platform " + platform);
}

std::string new_device_id() {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("RAND_bytes failed");
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(hex[b[i] >> 4]);
        out.push_back(hex[b[i] & 0x0f]);
    }
    return out;
}

}  // namespace cogsync::api::ops
