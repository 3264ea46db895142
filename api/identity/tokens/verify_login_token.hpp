#pragma once
// Offline verification of the OpenID Connect id tokens clients send in Logins: the signature
// against keys configured for the provider (never fetched), then iss, aud, exp/nbf and, for
// Cognito User Pools, token_use.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "api/identity/tokens/jwk.hpp"

namespace cogsync::api::identity {

struct login_provider {
    std::string login_key;                // the Logins key clients send, e.g. "accounts.google.com"
    std::string issuer;                   // the iss its tokens carry
    std::vector<std::string> client_ids;  // accepted aud values; empty: any
    std::vector<public_jwk> keys;
};

// A provider from its settings (config::oidc_provider) and its JWKS text; the JWKS mistake,
// naming the provider, otherwise.
std::variant<login_provider, std::string> make_login_provider(std::string login_key, std::string issuer,
                                                              std::vector<std::string> client_ids,
                                                              std::string_view jwks_json);

enum class login_failure {
    malformed,        // not three base64url parts of JSON objects, or a required claim missing
    unsupported_alg,  // none, HS*, an alg no configured key verifies, or critical header extensions
    unknown_kid,
    no_keys,
    bad_signature,
    expired,
    not_yet_valid,
    wrong_issuer,
    wrong_audience,
    wrong_token_use,
};

struct login_verdict {
    std::string subject;  // the token's sub when verified
    login_failure failure = login_failure::malformed;
    std::string message;  // empty when verified
    bool ok() const { return message.empty(); }
};

// Clock skew allowed on exp and nbf.
constexpr int64_t login_clock_skew_seconds = 60;

// Verifies token for provider at now (seconds since the epoch): alg RS256 or ES256 from a key
// of the provider (the kid's, or the only key when the token names none); iss equal to the
// provider's issuer (https://accounts.google.com also accepts accounts.google.com, as Google
// documents for its id tokens); aud (Cognito: aud, else client_id) among client_ids when any are
// configured; exp and nbf within login_clock_skew_seconds; token_use "id" for Cognito User Pool
// issuers (https://cognito-idp.<region>.amazonaws.com/<pool>).
login_verdict verify_login_token(std::string_view token, const login_provider& provider, int64_t now);

}  // namespace cogsync::api::identity
