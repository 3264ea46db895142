#include "api/identity/verify_logins.hpp"

#include <algorithm>

#include "api/api_error.hpp"
#include "api/identity/tokens/json_text.hpp"
#include "api/identity/tokens/own_tokens.hpp"

namespace cogsync::api::identity {
namespace {

constexpr std::string_view oidc_arn_marker = ":oidc-provider/";

std::string text(const rapidjson::Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

const login_provider* configured(const std::vector<login_provider>* providers, const std::string& key) {
    if (!providers) return nullptr;
    auto it = std::find_if(providers->begin(), providers->end(),
                           [&](const login_provider& p) { return p.login_key == key; });
    return it == providers->end() ? nullptr : &*it;
}

[[noreturn]] void not_configured(const std::string& key) {
    throw api_error(error_code::not_authorized,
                    "Logins for " + key + " cannot be verified: cogsync verifies login tokens offline against keys "
                    "configured for the provider, and none are. Configure [oidc_providers.\"" + key +
                    "\"] with its issuer and jwks_file (or jwks) in the configuration file.");
}

std::string verified_subject(std::string_view token, const login_provider& provider, int64_t now_s) {
    auto verdict = verify_login_token(token, provider, now_s);
    if (!verdict.ok()) throw api_error(error_code::not_authorized, "Invalid login token. " + verdict.message);
    return std::move(verdict.subject);
}

}  // namespace

std::vector<accepted_provider> accepted_providers(const storage::identity_pool& pool) {
    std::vector<accepted_provider> out;
    rapidjson::Document d;
    if (pool.description.empty() || d.Parse(pool.description.c_str()).HasParseError() || !d.IsObject()) return out;
    if (auto it = d.FindMember("SupportedLoginProviders"); it != d.MemberEnd() && it->value.IsObject())
        for (const auto& m : it->value.GetObject()) out.push_back({text(m.name), ""});
    if (auto it = d.FindMember("OpenIdConnectProviderARNs"); it != d.MemberEnd() && it->value.IsArray())
        for (const auto& arn : it->value.GetArray()) {
            if (!arn.IsString()) continue;
            const auto s = text(arn);
            if (auto at = s.find(oidc_arn_marker); at != std::string::npos)
                out.push_back({s.substr(at + oidc_arn_marker.size()), ""});
        }
    if (auto it = d.FindMember("CognitoIdentityProviders"); it != d.MemberEnd() && it->value.IsArray())
        for (const auto& p : it->value.GetArray())
            if (p.IsObject() && !json_text(p, "ProviderName").empty())
                out.push_back({json_text(p, "ProviderName"), json_text(p, "ClientId")});
    return out;
}

std::vector<storage::identity_login> verify_logins(const storage::identity_pool& pool, const rapidjson::Value& logins,
                                                   const std::vector<login_provider>* providers, int64_t now_s,
                                                   const login_provider* own) {
    const auto accepted = accepted_providers(pool);
    std::vector<storage::identity_login> out;
    for (const auto& m : logins.GetObject()) {
        const auto key = text(m.name);
        if (!m.value.IsString()) throw api_error(error_code::invalid_parameter, "Logins token for " + key + " must be a string");
        const std::string_view token(m.value.GetString(), m.value.GetStringLength());
        if (own && is_own_login_key(key)) {
            out.push_back({key, verified_subject(token, *own, now_s)});
            continue;
        }
        auto found = std::find_if(accepted.begin(), accepted.end(),
                                  [&](const accepted_provider& a) { return a.login_key == key; });
        if (found == accepted.end())
            throw api_error(error_code::not_authorized, "Token is not from a supported provider of this identity pool.");
        const auto* provider = configured(providers, key);
        if (!provider) not_configured(key);
        login_provider checked = *provider;
        if (!found->client_id.empty()) checked.client_ids = {found->client_id};
        out.push_back({key, verified_subject(token, checked, now_s)});
    }
    return out;
}

}  // namespace cogsync::api::identity
