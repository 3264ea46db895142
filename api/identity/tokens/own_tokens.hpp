#pragma once
// The OpenID tokens this server issued (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity) coming
// back as a login: every SDK's developer-authenticated flow sends the token to
// GetCredentialsForIdentity as Logins {"cognito-identity.amazonaws.com": <token>}
// (aws-sdk-android CognitoCredentialsProvider.java populateCredentialsWithCognito), and the iOS
// SDK sends GetOpenIdToken's token the same way (AWSCore/Authentication/AWSIdentityProvider.m).
#include <string>
#include <string_view>

#include "api/identity/tokens/signing_key.hpp"
#include "api/identity/tokens/verify_login_token.hpp"

namespace cogsync::api::identity {

// The Logins key of those tokens, as on AWS.
constexpr std::string_view own_login_key = "cognito-identity.amazonaws.com";
// Whether a Logins key names those tokens: own_login_key, or the key the Android SDK sends in the
// China (Beijing) region, cognito-identity.cn-north-1.amazonaws.com.cn
// (aws-sdk-android CognitoCredentialsProvider.java getLoginsKey).
bool is_own_login_key(std::string_view key);

// A verifier of tokens signed by `key` for `identity_pool_id`: RS256 with the key's kid,
// iss = `issuer`, aud = the pool, exp within login_clock_skew_seconds. The verdict's subject is
// the token's sub, the IdentityId it was issued for; the caller compares it with the identity it
// acts as.
login_provider own_token_provider(const signing_key& key, const std::string& issuer,
                                  const std::string& identity_pool_id);

}  // namespace cogsync::api::identity
