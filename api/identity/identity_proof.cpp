#include "api/identity/identity_proof.hpp"

#include <algorithm>
#include <optional>

#include "api/api_error.hpp"
#include "api/identity/login_lock.hpp"
#include "api/identity/node_key.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/tokens/own_tokens.hpp"
#include "api/identity/verify_logins.hpp"
#include "api/json_codec.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity {

const rapidjson::Value* optional_logins_member(const rapidjson::Value& in) {
    const auto* logins = find_member(in, "Logins");
    if (!logins) return nullptr;
    if (!logins->IsObject()) throw api_error(error_code::serialization, "Member 'Logins' must be an object");
    if (logins->MemberCount() > 10) invalid("Logins", "Member must have length less than or equal to 10");
    for (const auto& m : logins->GetObject())
        check_length(std::string_view(m.name.GetString(), m.name.GetStringLength()), "Logins", 1, 128);
    return logins->MemberCount() ? logins : nullptr;
}

identity_claim verify_identity_logins(context& ctx, const std::string& identity_id, const rapidjson::Value* logins) {
    auto found = ctx.store.read([&](storage::read_view& v) { return v.find_identity(identity_id); });
    if (!found) throw api_error(error_code::resource_not_found, "Identity '" + identity_id + "' not found.");
    identity_claim claim{identity_id, found->pool, {}, {}};
    const auto pool = existing_pool(ctx.store, found->pool);
    if (!logins) return claim;
    std::optional<login_provider> own;
    for (const auto& m : logins->GetObject())
        if (!own && is_own_login_key(std::string_view(m.name.GetString(), m.name.GetStringLength())))
            own = own_token_provider(node_signing_key(ctx), ctx.token_issuer, pool.id);
    claim.logins = verify_logins(pool, *logins, ctx.login_providers, ctx.now_ms() / 1000, own ? &*own : nullptr);
    return claim;
}

admission admit(storage::write_view& v, identity_claim& claim) {
    auto id = v.find_identity(claim.identity_id);
    if (!id) return admission::no_identity;
    claim.pool = id->pool;
    auto pool = v.find_identity_pool(id->pool);
    if (!pool) return admission::no_pool;
    lock_logins(v, id->pool, claim.logins);  // logins before the identity, as every job takes them
    v.lock_identity(id->pool, id->id);
    bool proven = false;
    std::vector<storage::identity_login> fresh;
    for (const auto& l : claim.logins) {
        if (is_own_login_key(l.provider)) {
            if (l.subject != id->id) return admission::logins_dont_match;
            proven = true;
            continue;
        }
        auto linked = v.find_login(id->pool, l.provider, l.subject);
        if (!linked) fresh.push_back(l);
        else if (*linked == id->id) proven = true;
        else return admission::linked_elsewhere;
    }
    const auto linked = v.logins_of_identity(id->pool, id->id);
    if (!linked.empty() && !proven) return admission::logins_dont_match;
    if (linked.empty() && fresh.empty() && !pool->allow_unauthenticated) return admission::unauthenticated_refused;
    for (const auto& l : fresh) v.link_login(id->pool, l, id->id);
    claim.providers.clear();
    for (const auto& l : v.logins_of_identity(id->pool, id->id))
        if (std::find(claim.providers.begin(), claim.providers.end(), l.provider) == claim.providers.end())
            claim.providers.push_back(l.provider);
    return admission::admitted;
}

void refuse(admission a, const identity_claim& claim) {
    switch (a) {
        case admission::no_identity:
            throw api_error(error_code::resource_not_found, "Identity '" + claim.identity_id + "' not found.");
        case admission::no_pool:
            pool_not_found(claim.pool);
        case admission::unauthenticated_refused:
            throw api_error(error_code::not_authorized, "Unauthenticated access is not supported for this identity pool.");
        case admission::linked_elsewhere:
            throw api_error(error_code::resource_conflict,
                            "A login is linked to another identity; cogsync does not merge identities.");
        default:
            throw api_error(error_code::not_authorized,
                            "Logins don't match. Please include at least one valid login for this identity or identity pool.");
    }
}

}  // namespace cogsync::api::identity
