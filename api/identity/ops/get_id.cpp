// GetId. Without Logins: a new unauthenticated identity "<pool's region>:<uuid v4>" per call, as
// AWS does when the client has no cached id (the SDKs cache it themselves); refused with
// NotAuthorizedException when the pool disallows unauthenticated identities.
// With Logins: every login verified offline (api/identity/verify_logins.hpp), then the identity
// linked to any of them; new logins are linked to it. The first time, a new identity is created
// with every login linked. Logins linked to two different identities are refused with
// ResourceConflictException (AWS would merge them; cogsync does not merge behind the caller's back).
// No signature needed.
#include <memory>

#include "api/api_error.hpp"
#include "api/identity/identity_proof.hpp"
#include "api/identity/login_lock.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/shapes.hpp"
#include "api/identity/verify_logins.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity::ops {
namespace {

enum class outcome { created, found, no_pool, unauthenticated_refused, conflict };

const rapidjson::Value* check_inputs(const rapidjson::Value& in) {
    if (auto account = get_string(in, "AccountId")) {
        check_length(*account, "AccountId", 1, 15);
        if (account->find_first_not_of("0123456789") != std::string::npos)
            invalid("AccountId", "Member must satisfy regular expression pattern: \\d+");
    }
    return optional_logins_member(in);
}

// In the write job: the identity the logins name (linking the others to it), a new one, or conflict.
outcome link_logins(storage::write_view& v, storage::identity& id, const std::vector<storage::identity_login>& logins) {
    std::optional<std::string> linked;
    lock_logins(v, id.pool, logins);
    for (const auto& l : logins)
        if (auto found = v.find_login(id.pool, l.provider, l.subject)) {
            if (linked && *linked != *found) return outcome::conflict;
            linked = found;
        }
    if (linked) id.id = *linked;
    else v.save_identity(id);
    for (const auto& l : logins) v.link_login(id.pool, l, id.id);
    return linked ? outcome::found : outcome::created;
}

}  // namespace

step get_id(const identity_call& c, context& ctx) {
    const auto pool = pool_id_member(c.input);
    const auto* logins_in = check_inputs(c.input);
    std::vector<storage::identity_login> logins;
    if (logins_in) logins = verify_logins(existing_pool(ctx.store, pool), *logins_in, ctx.login_providers, ctx.now_ms() / 1000);
    const auto now = ctx.now_ms();
    auto id = std::make_shared<storage::identity>(storage::identity{pool, new_namespaced_id(region_of(pool)), now, now});
    auto result = std::make_shared<outcome>(outcome::no_pool);
    auto job = [id, result, logins = std::move(logins)](storage::write_view& v) {
        auto p = v.find_identity_pool(id->pool);
        if (!p) *result = outcome::no_pool;
        else if (!logins.empty()) *result = link_logins(v, *id, logins);
        else if (!p->allow_unauthenticated) *result = outcome::unauthenticated_refused;
        else {
            v.save_identity(*id);
            *result = outcome::created;
        }
        return *result == outcome::created || *result == outcome::found;
    };
    return write_step{job, [id, result, counters = ctx.counters]() -> step {
                          if (*result == outcome::no_pool) pool_not_found(id->pool);
                          if (*result == outcome::unauthenticated_refused)
                              throw api_error(error_code::not_authorized,
                                              "Unauthenticated access is not supported for this identity pool.");
                          if (*result == outcome::conflict)
                              throw api_error(error_code::resource_conflict,
                                              "The logins are linked to different identities; cogsync does not merge "
                                              "identities in GetId.");
                          if (*result == outcome::created && counters) counters->identity_created();
                          return identity_id_response(id->id);
                      }};
}

}  // namespace cogsync::api::identity::ops
