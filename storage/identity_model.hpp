#pragma once
// Plain values of the Cognito Identity side of the store: pools, identities, their logins,
// merges and minted credentials. No JSON: the parts of a pool's description the store never
// interprets travel as opaque text the api layer writes and reads (api/identity/pool_shapes.hpp).
#include <cstdint>
#include <string>

namespace cogsync::storage {

struct identity_pool {
    std::string id;    // "<region>:<uuid>"
    std::string name;
    bool allow_unauthenticated = false;
    bool allow_classic_flow = false;
    std::string developer_provider_name;  // "" = none; unique among pools when set
    std::string description;  // opaque: login providers, OIDC/SAML ARNs, user pools, tags
    std::string roles;        // opaque: Set/GetIdentityPoolRoles' Roles and RoleMappings ("" = never set)
    int64_t created_ms = 0;
};

struct identity {
    std::string pool;
    std::string id;  // "<region>:<uuid>", unique across pools
    int64_t created_ms = 0;
    int64_t last_modified_ms = 0;
};

// One login linked to an identity: `provider` is the Logins map key (accounts.google.com,
// cognito-idp.<region>.amazonaws.com/<user pool>, or the pool's developer provider name),
// `subject` the user's stable id under that provider. (pool, provider, subject) names one identity.
struct identity_login {
    std::string provider;
    std::string subject;
};

// Temporary credentials handed out for an identity (GetCredentialsForIdentity).
struct minted_credential {
    std::string access_key;
    std::string secret;
    std::string session_token;
    std::string pool;
    std::string identity_id;
    int64_t expires_ms = 0;
};

}  // namespace cogsync::storage
