#include "api/identity/developer_login.hpp"

#include "api/api_error.hpp"
#include "api/identity/shapes.hpp"
#include "api/identity/tokens/jwt.hpp"
#include "api/json_codec.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity {
namespace {

const rapidjson::Value* object_member(const rapidjson::Value& in, const char* name) {
    const auto* m = find_member(in, name);
    if (m && !m->IsObject()) throw api_error(error_code::serialization, std::string("Member '") + name + "' must be an object");
    return m;
}

std::string member_string(const rapidjson::Value& v, const char* name) {
    if (!v.IsString()) throw api_error(error_code::serialization, std::string("Values of '") + name + "' must be strings");
    return {v.GetString(), v.GetStringLength()};
}

}  // namespace

std::vector<storage::identity_login> logins_member(const rapidjson::Value& in) {
    const auto* logins = object_member(in, "Logins");
    if (!logins) throw api_error(error_code::invalid_parameter,
                                 "1 validation error detected: Value null at 'Logins' failed to satisfy constraint: Member must not be null");
    if (logins->MemberCount() < 1) invalid("Logins", "Member must have length greater than or equal to 1");
    if (logins->MemberCount() > 10) invalid("Logins", "Member must have length less than or equal to 10");
    std::vector<storage::identity_login> out;
    for (const auto& m : logins->GetObject()) {
        storage::identity_login l{std::string(m.name.GetString(), m.name.GetStringLength()), member_string(m.value, "Logins")};
        check_length(l.provider, "Logins", 1, 128);
        check_length(l.subject, "Logins", 1, 50000);
        out.push_back(std::move(l));
    }
    return out;
}

void check_principal_tags(const rapidjson::Value& in) {
    const auto* tags = object_member(in, "PrincipalTags");
    if (!tags) return;
    if (tags->MemberCount() > 50) invalid("PrincipalTags", "Member must have length less than or equal to 50");
    for (const auto& m : tags->GetObject()) {
        check_length(std::string_view(m.name.GetString(), m.name.GetStringLength()), "PrincipalTags", 1, 128);
        check_length(member_string(m.value, "PrincipalTags"), "PrincipalTags", 1, 256);
    }
}

int64_t token_duration_member(const rapidjson::Value& in) {
    auto d = get_long(in, "TokenDuration");
    if (!d) return developer_token_default_seconds;
    if (*d < 1) invalid("TokenDuration", "Member must have value greater than or equal to 1");
    if (*d > developer_token_max_seconds) invalid("TokenDuration", "Member must have value less than or equal to 86400");
    return *d;
}

std::optional<std::string> developer_user_member(const rapidjson::Value& in, const char* name) {
    auto user = get_string(in, name);
    if (user) check_length(*user, name, 1, 1024);
    return user;
}

std::string required_developer_user(const rapidjson::Value& in, const char* name) {
    auto user = required_string(in, name);
    check_length(user, name, 1, 1024);
    return user;
}

void unsupported_developer_provider() {
    throw api_error(error_code::not_authorized, "This identity pool does not support the specified developer provider.");
}

}  // namespace cogsync::api::identity
