#pragma once
// The Logins map of GetId (and of GetCredentialsForIdentity / GetOpenIdToken) verified offline:
// each key must be a provider the pool accepts and its token must verify against the keys
// configured for that provider ([oidc_providers."<login key>"], server/login_providers.hpp).
//
// Wiring it into an operation is one line after the pool is read:
//   auto verified = verify_logins(pool, *find_member(c.input, "Logins"), ctx.login_providers, ctx.now_ms() / 1000);
#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <vector>

#include "api/identity/tokens/verify_login_token.hpp"
#include "storage/identity_model.hpp"

namespace cogsync::api::identity {

// The Logins keys the pool accepts: its SupportedLoginProviders keys, the <host/path> of each
// OpenIdConnectProviderARNs entry (arn:aws:iam::<account>:oidc-provider/<host/path>), and each
// CognitoIdentityProviders ProviderName with its ClientId ("" when none is set).
struct accepted_provider {
    std::string login_key;
    std::string client_id;  // Cognito User Pools: the aud the token must carry; "" = any
};
std::vector<accepted_provider> accepted_providers(const storage::identity_pool& pool);

// The (provider, subject) of every login of `logins` (a JSON object: login key -> token), in
// the map's order. Throws api_error:
//  * NotAuthorizedException "Token is not from a supported provider of this identity pool."
//    when the pool does not accept the key;
//  * NotAuthorizedException saying logins are verified offline when no keys are configured for
//    the key (facebook, amazon, twitter send opaque access tokens only their servers can check);
//  * NotAuthorizedException "Invalid login token. <why>" when the token does not verify;
//  * InvalidParameterException when a token is not a string.
// providers: the configured verifiers (null: none configured); now_s: seconds since the epoch;
// own: the verifier of this server's tokens (api/identity/tokens/own_tokens.hpp), which checks
// the cognito-identity.amazonaws.com login (is_own_login_key) whatever the pool's providers;
// null: that key is refused as any provider the pool does not accept.
std::vector<storage::identity_login> verify_logins(const storage::identity_pool& pool, const rapidjson::Value& logins,
                                                   const std::vector<login_provider>* providers, int64_t now_s,
                                                   const login_provider* own = nullptr);

}  // namespace cogsync::api::identity
