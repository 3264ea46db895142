#pragma once
// Who is calling and what they may touch (PROTOCOL.md 8). In open mode there is no
// authenticator and every caller is `open`: the principal is the identity in the path. With keys
// configured, every request must be signed (SigV4) by a known key, and the key's grant decides.
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/auth/sigv4.hpp"
#include "api/percent.hpp"
#include "api/request.hpp"

namespace cogsync::api::auth {

// Which credentials an operation accepts (PROTOCOL.md 8).
enum class access { developer_only, identity_only, either };

// One configured access key and what it may act on.
struct key_grant {
    std::string access_key;
    std::string secret;
    std::optional<std::string> session_token;
    bool developer = false;           // false: an identity key
    bool all_pools = false;           // developer: every pool
    std::vector<std::string> pools;   // developer: these pools
    std::string identity_pool;        // identity: its pool
    std::string identity_id;          // identity: the one identity it acts as
    std::string account_id;           // developer: written as LastModifiedBy (PROTOCOL.md 5.10)
};

struct caller {
    enum class kind { open, developer, identity } kind = kind::open;
    const key_grant* grant = nullptr;  // set unless open
    std::shared_ptr<const key_grant> minted;  // owns *grant for a minted key
};

class authenticator {
public:
    // `minted` looks up keys minted by GetCredentialsForIdentity (unset: none); a key found there
    // acts as an identity key of its pool and identity.
    explicit authenticator(std::vector<key_grant> grants, secret_lookup minted = {});
    // Verifies the request's signature, scoped to `service` (the signing name of the API the
    // request speaks); throws the SigV4 errors of PROTOCOL.md 4.5.
    caller authenticate(const request& req, int64_t now_ms, std::string_view service = "cognito-sync") const;
    // Throws 403 NotAuthorizedException when no developer key is configured, so that a server
    // running on minted keys alone says why `operation` (developer-only) can never be called.
    void require_developer_key(const char* operation) const;

private:
    std::unordered_map<std::string, key_grant> grants_;
    secret_lookup minted_;
    sigv4_verifier verifier_;
    bool developer_keys_ = false;
};

// Throws 403 NotAuthorizedException unless `who` may call `operation` (of kind `a`) on the pool
// and identity named by the path parameters.
void authorize(const caller& who, access a, const query_list& params, const char* operation);

// Whether `who` may see this pool's usage (ListIdentityPoolUsage filters by it).
bool may_see_pool(const caller& who, const std::string& pool);

// LastModifiedBy for a write (PROTOCOL.md 5.10): the identity for identity keys and open mode,
// the key's account id for developer keys, as AWS writes it (never the access key id, which
// mobile clients would store and show to their users).
std::string principal_name(const caller& who, const query_list& params);

}  // namespace cogsync::api::auth
