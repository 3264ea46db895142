#pragma once
// The configuration's OpenID Connect providers (config/oidc_provider.hpp) as the verifiers of
// api/identity/tokens/verify_login_token.hpp, their JWKS turned into keys once at startup.
#include <vector>

#include "api/identity/tokens/verify_login_token.hpp"
#include "config/oidc_provider.hpp"

namespace cogsync::server {

// One login_provider per configured provider, in order; throws std::runtime_error naming the
// provider and its JWKS file (or "inline jwks") when a key cannot be used (an RSA key under 2048
// bits, a curve other than P-256, an alg that does not fit its key...).
std::vector<api::identity::login_provider> load_login_providers(const std::vector<config::oidc_provider>& configured);

}  // namespace cogsync::server
