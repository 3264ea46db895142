#include "api/auth/access.hpp"

#include <algorithm>

#include "api/api_error.hpp"

namespace cogsync::api::auth {
namespace {

const std::string* param(const query_list& params, std::string_view name) {
    for (const auto& [k, v] : params)
        if (k == name) return &v;
    return nullptr;
}

[[noreturn]] void forbidden(std::string message) { throw api_error(error_code::not_authorized, std::move(message)); }

void check_identity_key(const key_grant& g, const query_list& params) {
    const auto* pool = param(params, "IdentityPoolId");
    const auto* identity = param(params, "IdentityId");
    if (identity && *identity != g.identity_id) forbidden("Access to Identity '" + *identity + "' is forbidden.");
    if (!pool || *pool != g.identity_pool)
        forbidden("Access to IdentityPool '" + (pool ? *pool : std::string()) + "' is forbidden.");
}

}  // namespace

authenticator::authenticator(std::vector<key_grant> grants, secret_lookup minted)
    : minted_(std::move(minted)), verifier_([this](std::string_view key) -> std::optional<signing_key_lookup_result> {
          auto it = grants_.find(std::string(key));
          if (it != grants_.end()) return signing_key_lookup_result{it->second.secret, it->second.session_token};
          return minted_ ? minted_(key) : std::nullopt;
      }) {
    for (auto& g : grants) {
        developer_keys_ = developer_keys_ || g.developer;
        grants_.emplace(g.access_key, std::move(g));
    }
}

void authenticator::require_developer_key(const char* operation) const {
    if (!developer_keys_)
        forbidden(std::string(operation) + " needs a developer key and this server has none: only credentials "
                  "minted by GetCredentialsForIdentity authenticate (configure --credentials-file or [credentials.*])");
}

caller authenticator::authenticate(const request& req, int64_t now_ms, std::string_view service) const {
    auto v = verifier_.verify(req, now_ms, service);
    if (v.minted) {
        auto g = std::make_shared<key_grant>();
        g->access_key = v.access_key;
        g->identity_pool = v.minted->identity_pool;
        g->identity_id = v.minted->identity_id;
        return caller{caller::kind::identity, g.get(), g};
    }
    const key_grant& g = grants_.at(v.access_key);
    return caller{g.developer ? caller::kind::developer : caller::kind::identity, &g};
}

void authorize(const caller& who, access a, const query_list& params, const char* operation) {
    switch (who.kind) {
        case caller::kind::open:
            return;
        case caller::kind::identity:
            if (a == access::developer_only)
                forbidden(std::string(operation) + " cannot be called with Cognito Identity credentials.");
            return check_identity_key(*who.grant, params);
        case caller::kind::developer:
            if (a == access::identity_only)
                forbidden(std::string(operation) + " cannot be called with developer credentials.");
            if (const auto* pool = param(params, "IdentityPoolId"); pool && !may_see_pool(who, *pool))
                forbidden("Access to IdentityPool '" + *pool + "' is forbidden.");
            return;
    }
}

bool may_see_pool(const caller& who, const std::string& pool) {
    if (who.kind == caller::kind::open) return true;
    const auto& g = *who.grant;
    if (who.kind == caller::kind::identity) return pool == g.identity_pool;
    return g.all_pools || std::find(g.pools.begin(), g.pools.end(), pool) != g.pools.end();
}

std::string principal_name(const caller& who, const query_list& params) {
    if (who.kind == caller::kind::developer) return who.grant->account_id;
    if (const auto* identity = param(params, "IdentityId")) return *identity;
    return who.kind == caller::kind::identity ? who.grant->identity_id : "anonymous";
}

}  // namespace cogsync::api::auth
