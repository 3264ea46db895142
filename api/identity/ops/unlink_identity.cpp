// UnlinkIdentity: Logins prove the caller is the identity (each verified as in GetId,
// api/identity/verify_logins.hpp, and linked to that identity, else NotAuthorizedException);
// every login of the providers in LoginsToRemove is then unlinked. A provider in LoginsToRemove
// that has no login linked is left alone. No signature needed. Answers {}.
#include <algorithm>
#include <memory>

#include "api/api_error.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/shapes.hpp"
#include "api/identity/verify_logins.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity::ops {
namespace {

enum class outcome { unlinked, not_linked };

std::vector<std::string> providers_to_remove(const rapidjson::Value& in) {
    const auto* list = find_member(in, "LoginsToRemove");
    if (!list) invalid("LoginsToRemove", "Member must not be null");
    if (!list->IsArray()) throw api_error(error_code::serialization, "Member 'LoginsToRemove' must be a list");
    std::vector<std::string> out;
    for (const auto& v : list->GetArray()) {
        if (!v.IsString()) throw api_error(error_code::serialization, "Member 'LoginsToRemove' must hold strings");
        out.emplace_back(v.GetString(), v.GetStringLength());
        check_length(out.back(), "LoginsToRemove", 1, 128);
    }
    return out;
}

const rapidjson::Value& logins_member(const rapidjson::Value& in) {
    const auto* logins = find_member(in, "Logins");
    if (!logins) invalid("Logins", "Member must not be null");
    if (!logins->IsObject()) throw api_error(error_code::serialization, "Member 'Logins' must be an object");
    if (logins->MemberCount() > 10) invalid("Logins", "Member must have length less than or equal to 10");
    return *logins;
}

}  // namespace

step unlink_identity(const identity_call& c, context& ctx) {
    const auto id = identity_id_member(c.input);
    const auto& logins_in = logins_member(c.input);
    auto remove = providers_to_remove(c.input);
    std::optional<storage::identity> found;
    ctx.store.read([&](storage::read_view& v) {
        found = v.find_identity(id);
        return 0;
    });
    if (!found) throw api_error(error_code::resource_not_found, "Identity '" + id + "' not found.");
    auto proof = verify_logins(existing_pool(ctx.store, found->pool), logins_in, ctx.login_providers, ctx.now_ms() / 1000);
    if (proof.empty()) throw api_error(error_code::not_authorized, "Logins don't match the identity.");
    auto result = std::make_shared<outcome>(outcome::not_linked);
    auto job = [identity = *found, proof = std::move(proof), remove = std::move(remove), result](storage::write_view& v) {
        *result = outcome::not_linked;
        for (const auto& l : proof)
            if (v.find_login(identity.pool, l.provider, l.subject) != identity.id) return false;
        for (const auto& l : v.logins_of_identity(identity.pool, identity.id))
            if (std::find(remove.begin(), remove.end(), l.provider) != remove.end())
                v.unlink_login(identity.pool, l, identity.id);
        *result = outcome::unlinked;
        return true;
    };
    return write_step{job, [result]() -> step {
                          if (*result == outcome::not_linked)
                              throw api_error(error_code::not_authorized, "Logins don't match the identity.");
                          return empty_response();
                      }};
}

}  // namespace cogsync::api::identity::ops
