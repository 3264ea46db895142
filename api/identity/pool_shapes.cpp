#include "api/identity/pool_shapes.hpp"

#include <rapidjson/writer.h>

#include "api/api_error.hpp"
#include "api/identity/shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity {
namespace {

[[noreturn]] void wrong_type(const char* name, const char* what) {
    throw api_error(error_code::serialization, std::string("Member '") + name + "' must be " + what);
}

const rapidjson::Value* object_member(const rapidjson::Value& in, const char* name, std::size_t max) {
    const auto* v = find_member(in, name);
    if (!v) return nullptr;
    if (!v->IsObject()) wrong_type(name, "an object");
    if (v->MemberCount() > max) invalid(name, "Member must have length less than or equal to " + std::to_string(max));
    for (const auto& m : v->GetObject())
        if (!m.value.IsString()) wrong_type(name, "a map of strings");
    return v;
}

const rapidjson::Value* array_member(const rapidjson::Value& in, const char* name) {
    const auto* v = find_member(in, name);
    if (!v) return nullptr;
    if (!v->IsArray()) wrong_type(name, "a list");
    return v;
}

std::string text(const rapidjson::Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

void check_login_providers(const rapidjson::Value& map) {
    for (const auto& m : map.GetObject()) {
        check_length(text(m.name), "SupportedLoginProviders", 1, 128);
        check_class(text(m.value), "SupportedLoginProviders", 1, 128, ".;_/-", "[\\w.;_/-]+");
    }
}

void check_arns(const rapidjson::Value& list, const char* name) {
    for (const auto& arn : list.GetArray()) {
        if (!arn.IsString()) wrong_type(name, "a list of strings");
        check_length(text(arn), name, 20, 2048);
    }
}

void check_user_pools(const rapidjson::Value& list) {
    constexpr const char* name = "CognitoIdentityProviders";
    for (const auto& p : list.GetArray()) {
        if (!p.IsObject()) wrong_type(name, "a list of objects");
        if (auto provider = get_string(p, "ProviderName"))
            check_class(*provider, "CognitoIdentityProviders.ProviderName", 1, 128, "._:/-", "[\\w._:/-]+");
        if (auto client = get_string(p, "ClientId"))
            check_class(*client, "CognitoIdentityProviders.ClientId", 1, 128, "_", "[\\w_]+");
        bool_member(p, "ServerSideTokenCheck");
    }
}

void check_tags(const rapidjson::Value& map) {
    for (const auto& m : map.GetObject()) {
        check_length(text(m.name), "IdentityPoolTags", 1, 128);
        check_length(text(m.value), "IdentityPoolTags", 0, 256);
    }
}

constexpr const char* described[] = {"SupportedLoginProviders", "OpenIdConnectProviderARNs", "CognitoIdentityProviders",
                                     "SamlProviderARNs", "IdentityPoolTags"};

std::string description_of(const rapidjson::Value& in) {
    if (const auto* v = object_member(in, "SupportedLoginProviders", 10)) check_login_providers(*v);
    if (const auto* v = array_member(in, "OpenIdConnectProviderARNs")) check_arns(*v, "OpenIdConnectProviderARNs");
    if (const auto* v = array_member(in, "CognitoIdentityProviders")) check_user_pools(*v);
    if (const auto* v = array_member(in, "SamlProviderARNs")) check_arns(*v, "SamlProviderARNs");
    if (const auto* v = object_member(in, "IdentityPoolTags", 50)) check_tags(*v);
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    for (const char* name : described)
        if (const auto* v = find_member(in, name)) {
            w.Key(name);
            v->Accept(w);
        }
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

storage::identity_pool pool_from_input(const rapidjson::Value& in) {
    storage::identity_pool p;
    p.name = required_string(in, "IdentityPoolName");
    check_class(p.name, "IdentityPoolName", 1, 128, " \t\r\n\f\v+=,.@-", "[\\w\\s+=,.@-]+");
    p.allow_unauthenticated = required_bool(in, "AllowUnauthenticatedIdentities");
    p.allow_classic_flow = bool_member(in, "AllowClassicFlow").value_or(false);
    if (auto dev = get_string(in, "DeveloperProviderName")) {
        check_class(*dev, "DeveloperProviderName", 1, 128, "._-", "[\\w._-]+");
        p.developer_provider_name = *dev;
    }
    p.description = description_of(in);
    return p;
}

void write_pool(json_writer& w, const storage::identity_pool& p) {
    w.StartObject();
    write_string_member(w, "IdentityPoolId", p.id);
    write_string_member(w, "IdentityPoolName", p.name);
    w.Key("AllowUnauthenticatedIdentities");
    w.Bool(p.allow_unauthenticated);
    w.Key("AllowClassicFlow");
    w.Bool(p.allow_classic_flow);
    if (!p.developer_provider_name.empty()) write_string_member(w, "DeveloperProviderName", p.developer_provider_name);
    rapidjson::Document stored;
    stored.Parse(p.description.c_str(), p.description.size());
    if (stored.IsObject())
        for (const auto& m : stored.GetObject()) {
            w.Key(m.name.GetString(), m.name.GetStringLength());
            m.value.Accept(w);
        }
    w.EndObject();
}

response pool_response(const storage::identity_pool& p) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    write_pool(w, p);
    return json11_response(buf);
}

}  // namespace cogsync::api::identity
