// GetId without Logins: a new unauthenticated identity "<pool's region>:<uuid v4>" per call, as
// AWS does when the client has no cached id (the SDKs cache it themselves). Refused with
// NotAuthorizedException when the pool disallows unauthenticated identities. No signature needed.
// With Logins: login verification is not served yet, so every provider is refused with
// InvalidParameterException naming it.
#include <memory>

#include "api/api_error.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity::ops {
namespace {

enum class outcome { created, no_pool, unauthenticated_refused };

void check_inputs(const rapidjson::Value& in) {
    if (auto account = get_string(in, "AccountId")) {
        check_length(*account, "AccountId", 1, 15);
        if (account->find_first_not_of("0123456789") != std::string::npos)
            invalid("AccountId", "Member must satisfy regular expression pattern: \\d+");
    }
    const auto* logins = find_member(in, "Logins");
    if (!logins) return;
    if (!logins->IsObject()) throw api_error(error_code::serialization, "Member 'Logins' must be an object");
    if (logins->MemberCount() > 10) invalid("Logins", "Member must have length less than or equal to 10");
    for (const auto& m : logins->GetObject()) {
        const std::string provider(m.name.GetString(), m.name.GetStringLength());
        check_length(provider, "Logins", 1, 128);
        throw api_error(error_code::invalid_parameter, "Logins for provider " + provider + " cannot be verified");
    }
}

}  // namespace

step get_id(const identity_call& c, context& ctx) {
    const auto pool = pool_id_member(c.input);
    check_inputs(c.input);
    const auto now = ctx.now_ms();
    auto id = std::make_shared<storage::identity>(storage::identity{pool, new_namespaced_id(region_of(pool)), now, now});
    auto result = std::make_shared<outcome>(outcome::no_pool);
    auto job = [id, result](storage::write_view& v) {
        auto p = v.find_identity_pool(id->pool);
        *result = !p ? outcome::no_pool : !p->allow_unauthenticated ? outcome::unauthenticated_refused : outcome::created;
        if (*result != outcome::created) return false;
        v.save_identity(*id);
        return true;
    };
    return write_step{job, [id, result]() -> step {
                          if (*result == outcome::no_pool) pool_not_found(id->pool);
                          if (*result == outcome::unauthenticated_refused)
                              throw api_error(error_code::not_authorized,
                                              "Unauthenticated access is not supported for this identity pool.");
                          rapidjson::StringBuffer buf;
                          json_writer w(buf);
                          w.StartObject();
                          write_string_member(w, "IdentityId", id->id);
                          w.EndObject();
                          return json11_response(buf);
                      }};
}

}  // namespace cogsync::api::identity::ops
