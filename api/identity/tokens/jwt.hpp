#pragma once
// The tokens cogsync issues: compact JWS (RFC 7515) signed RS256 with the node's key, the JWKS
// document that publishes that key, and the claims of the OpenID tokens that GetOpenIdToken and
// GetOpenIdTokenForDeveloperIdentity return.
#include <cstdint>
#include <string>
#include <vector>

#include "api/identity/tokens/signing_key.hpp"

namespace cogsync::api::identity {

// base64url(header).base64url(claims_json).base64url(RS256 signature); the header carries
// alg RS256, the key's kid and typ JWT. claims_json is used as given (a JSON object).
std::string sign_jwt(const std::string& claims_json, const signing_key& key);

// {"keys":[{"kty":"RSA","kid",...,"use":"sig","alg":"RS256","n","e"}]}, one entry per key.
std::string jwks_document(const std::vector<const signing_key*>& keys);

// GetOpenIdTokenForDeveloperIdentity's TokenDuration: 15 minutes when absent, at most 24 hours
// (API reference, GetOpenIdTokenForDeveloperIdentityInput.TokenDuration). GetOpenIdToken's token
// is documented "valid for 10 minutes" (API reference, GetOpenIdTokenResponse.Token).
constexpr int64_t open_id_token_seconds = 600;
constexpr int64_t developer_token_default_seconds = 900;
constexpr int64_t developer_token_max_seconds = 86400;

struct open_id_token_claims {
    std::string issuer;            // the server's token issuer, where AWS has https://cognito-identity.amazonaws.com
    std::string identity_id;       // sub
    std::string identity_pool_id;  // aud
    std::vector<std::string> logins;  // the Logins keys behind the identity; empty: unauthenticated
    int64_t issued_at = 0;            // iat, seconds since the epoch
    int64_t duration_seconds = open_id_token_seconds;
};

// The claims AWS puts in these tokens, with cogsync's issuer: iss, sub = IdentityId,
// aud = IdentityPoolId, amr = ["unauthenticated"] or ["authenticated", login keys...], iat, exp.
// That is the shape IAM trust policies test: "cognito-identity.amazonaws.com:aud" is the identity
// pool id and ":amr" holds "unauthenticated", or "authenticated" and every provider used (AWS
// Cognito developer guide, "Role trust and permissions",
// docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html).
std::string open_id_token_claims_json(const open_id_token_claims& claims);

}  // namespace cogsync::api::identity
