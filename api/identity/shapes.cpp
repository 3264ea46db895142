#include "api/identity/shapes.hpp"

#include <cstdio>

#include "api/api_error.hpp"
#include "api/token_codec.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity {

response json11_response(const rapidjson::StringBuffer& body) {
    return response{200, {{"Content-Type", "application/x-amz-json-1.1"}}, std::string(body.GetString(), body.GetSize())};
}

response identity_id_response(const std::string& identity_id) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_string_member(w, "IdentityId", identity_id);
    w.EndObject();
    return json11_response(buf);
}

response empty_response() { return response{200, {{"Content-Type", "application/x-amz-json-1.1"}}, "{}"}; }

std::optional<bool> bool_member(const rapidjson::Value& in, const char* name) {
    const auto* v = find_member(in, name);
    if (!v) return std::nullopt;
    if (!v->IsBool()) throw api_error(error_code::serialization, std::string("Member '") + name + "' must be a boolean");
    return v->GetBool();
}

namespace {

[[noreturn]] void missing(const char* name) {
    throw api_error(error_code::invalid_parameter, std::string("1 validation error detected: Value null at '") + name +
                                                       "' failed to satisfy constraint: Member must not be null");
}

}  // namespace

std::string required_string(const rapidjson::Value& in, const char* name) {
    auto v = get_string(in, name);
    if (!v) missing(name);
    return *v;
}

bool required_bool(const rapidjson::Value& in, const char* name) {
    auto v = bool_member(in, name);
    if (!v) missing(name);
    return *v;
}

void check_class(std::string_view value, std::string_view member, std::size_t min, std::size_t max,
                 std::string_view extra, std::string_view pattern) {
    check_length(value, member, min, max);
    for (char c : value)
        if (!is_word(c) && extra.find(c) == std::string_view::npos)
            invalid(member, "Member must satisfy regular expression pattern: " + std::string(pattern));
}

std::string pool_id_member(const rapidjson::Value& in) {
    auto id = required_string(in, "IdentityPoolId");
    check_pool_id(id);
    return id;
}

std::string identity_id_member(const rapidjson::Value& in, const char* name) {
    auto id = required_string(in, name);
    check_identity_id(id, name);
    return id;
}

std::size_t max_results_member(const rapidjson::Value& in) {
    auto n = get_long(in, "MaxResults");
    if (!n) missing("MaxResults");
    if (*n < 1) invalid("MaxResults", "Member must have value greater than or equal to 1");
    if (*n > 60) invalid("MaxResults", "Member must have value less than or equal to 60");
    return static_cast<std::size_t>(*n);
}

std::string next_token_member(const rapidjson::Value& in) {
    auto token = get_string(in, "NextToken");
    if (!token) return "";
    check_length(*token, "NextToken", 1, 65535);
    if (token->find_first_of(" \t\r\n\f\v") != std::string::npos)
        invalid("NextToken", "Member must satisfy regular expression pattern: [\\S]+");
    return *token;
}

std::string new_namespaced_id(std::string_view region) {
    auto b = token_codec::random_bytes(16);
    b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);  // version 4
    b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
    std::string out(region);
    out += ':';
    char hex[3];
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(b[i]));
        out += hex;
    }
    return out;
}

std::string_view region_of(std::string_view id) { return id.substr(0, id.find(':')); }

}  // namespace cogsync::api::identity
