#pragma once
// An OpenID Connect provider whose id tokens clients may send in Logins: the configuration
// file's [oidc_providers."<login key>"] tables (config/toml_oidc_providers.hpp). Plain data: the
// api layer's make_login_provider (api/identity/tokens/verify_login_token.hpp) turns it into keys.
#include <string>
#include <vector>

namespace cogsync::config {

struct oidc_provider {
    std::string login_key;                // the Logins key clients send, e.g. "accounts.google.com"
    std::string issuer;                   // the tokens' iss; default https://<login key>
    std::vector<std::string> client_ids;  // accepted audiences; empty: any
    std::string jwks;                     // the provider's JWKS JSON, read at startup or given inline
    std::string jwks_file;                // where jwks was read from; empty when given inline
};

}  // namespace cogsync::config
