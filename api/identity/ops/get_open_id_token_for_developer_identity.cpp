// GetOpenIdTokenForDeveloperIdentity: Logins names the pool's DeveloperProviderName with the
// developer's user identifier (any other provider: the unsupported-provider error). The same user
// always gets the same identity: a new one, linked, the first time. With IdentityId the user is
// linked to that identity; a user already linked to another one is
// DeveloperUserAlreadyRegisteredException (the model's documentation of that error). The token
// is an OpenID token signed with the node's key, amr ["authenticated", <providers linked>...].
#include <algorithm>
#include <memory>

#include "api/api_error.hpp"
#include "api/identity/developer_login.hpp"
#include "api/identity/login_lock.hpp"
#include "api/identity/node_key.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/shapes.hpp"
#include "api/identity/tokens/jwt.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity::ops {
namespace {

enum class outcome { done, no_pool, unsupported, no_identity, already_registered };

struct request_state {
    std::string pool;
    std::optional<std::string> given;        // the request's IdentityId
    std::optional<std::string> identity_id;  // the answer's
    std::vector<storage::identity_login> logins;
    std::vector<std::string> providers;  // linked to the identity after the call
    outcome result = outcome::no_pool;
    bool created = false;  // a new identity for a new developer user
};

outcome link(request_state& s, storage::write_view& v, int64_t now) {
    auto p = v.find_identity_pool(s.pool);
    if (!p) return outcome::no_pool;
    for (const auto& l : s.logins)
        if (p->developer_provider_name.empty() || l.provider != p->developer_provider_name) return outcome::unsupported;
    const auto& login = s.logins.front();
    lock_logins(v, s.pool, {login});
    auto linked = v.find_login(s.pool, login.provider, login.subject);
    if (s.identity_id) {
        auto i = v.find_identity(*s.identity_id);
        if (!i || i->pool != s.pool) return outcome::no_identity;
        if (linked && *linked != i->id) return outcome::already_registered;
        if (!linked) {
            i->last_modified_ms = now;
            v.save_identity(*i);
        }
    } else if (linked) {
        s.identity_id = *linked;
    } else {
        s.identity_id = new_namespaced_id(region_of(s.pool));
        v.save_identity(storage::identity{s.pool, *s.identity_id, now, now});
        s.created = true;
    }
    v.lock_identity(s.pool, *s.identity_id);
    if (!linked) v.link_login(s.pool, login, *s.identity_id);
    for (const auto& l : v.logins_of_identity(s.pool, *s.identity_id))
        if (std::find(s.providers.begin(), s.providers.end(), l.provider) == s.providers.end())
            s.providers.push_back(l.provider);
    return outcome::done;
}

}  // namespace

step get_open_id_token_for_developer_identity(const identity_call& c, context& ctx) {
    auto s = std::make_shared<request_state>();
    s->pool = pool_id_member(c.input);
    if (find_member(c.input, "IdentityId")) s->given = identity_id_member(c.input);
    s->logins = logins_member(c.input);
    // The developer provider's value is a DeveloperUserIdentifier (1..1024), as Lookup takes it.
    for (const auto& l : s->logins) check_length(l.subject, "Logins", 1, 1024);
    check_principal_tags(c.input);
    const auto duration = token_duration_member(c.input);
    c.check_pool(s->pool);
    const auto now = ctx.now_ms();
    // A job may run again (after a serialization failure on a multi-writer store): it starts
    // from the request each time, never from what an attempt rolled back.
    auto job = [s, now](storage::write_view& v) {
        s->identity_id = s->given;
        s->providers.clear();
        s->created = false;
        s->result = link(*s, v, now);
        return s->result == outcome::done;
    };
    return write_step{job, [s, duration, now, &ctx]() -> step {
                          switch (s->result) {
                              case outcome::no_pool: pool_not_found(s->pool);
                              case outcome::unsupported: unsupported_developer_provider();
                              case outcome::no_identity:
                                  throw api_error(error_code::resource_not_found, "Identity '" + *s->identity_id + "' not found.");
                              case outcome::already_registered:
                                  throw api_error(error_code::developer_user_already_registered,
                                                  "This developer user identifier is already registered with Cognito.");
                              case outcome::done: break;
                          }
                          open_id_token_claims claims{ctx.token_issuer, *s->identity_id, s->pool, s->providers, now / 1000,
                                                      duration};
                          const auto token = sign_jwt(open_id_token_claims_json(claims), node_signing_key(ctx));
                          if (ctx.counters) {
                              if (s->created) ctx.counters->identity_created();
                              ctx.counters->open_id_token_issued();
                          }
                          rapidjson::StringBuffer buf;
                          json_writer w(buf);
                          w.StartObject();
                          write_string_member(w, "IdentityId", *s->identity_id);
                          write_string_member(w, "Token", token);
                          w.EndObject();
                          return json11_response(buf);
                      }};
}

}  // namespace cogsync::api::identity::ops
