// GetOpenIdToken: an OpenID token for an existing identity, unsigned as on AWS. Who may have one
// is api/identity/identity_proof.hpp's rule (the one GetCredentialsForIdentity follows); new
// verified Logins are linked to the identity. The token has the claims of
// GetOpenIdTokenForDeveloperIdentity's (api/identity/tokens/jwt.hpp), signed with the node's key
// and valid open_id_token_seconds, as the model documents ("valid for 10 minutes").
#include <memory>

#include "api/identity/identity_proof.hpp"
#include "api/identity/node_key.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/shapes.hpp"
#include "api/identity/tokens/jwt.hpp"

namespace cogsync::api::identity::ops {

step get_open_id_token(const identity_call& c, context& ctx) {
    const auto identity = identity_id_member(c.input);
    auto claim = std::make_shared<identity_claim>(verify_identity_logins(ctx, identity, optional_logins_member(c.input)));
    auto result = std::make_shared<admission>(admission::no_identity);
    auto job = [claim, result](storage::write_view& v) {
        *result = admit(v, *claim);
        return *result == admission::admitted;
    };
    return write_step{job, [claim, result, &ctx]() -> step {
                          if (*result != admission::admitted) refuse(*result, *claim);
                          open_id_token_claims claims{ctx.token_issuer, claim->identity_id, claim->pool, claim->providers,
                                                      ctx.now_ms() / 1000, open_id_token_seconds};
                          const auto token = sign_jwt(open_id_token_claims_json(claims), node_signing_key(ctx));
                          if (ctx.counters) ctx.counters->open_id_token_issued();
                          rapidjson::StringBuffer buf;
                          json_writer w(buf);
                          w.StartObject();
                          write_string_member(w, "IdentityId", claim->identity_id);
                          write_string_member(w, "Token", token);
                          w.EndObject();
                          return json11_response(buf);
                      }};
}

}  // namespace cogsync::api::identity::ops
