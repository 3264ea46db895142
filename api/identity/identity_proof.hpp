#pragma once
// The one place that decides whether a caller may act as an existing identity, for the
// unauthenticated operations that take an IdentityId: GetCredentialsForIdentity and GetOpenIdToken.
// As on AWS: an identity with linked logins must be proven by at least one valid login linked
// to it (or by a token this server issued for it, Logins {"cognito-identity.amazonaws.com": ...});
// an identity without linked logins acts unauthenticated, which its pool must allow, unless the
// call brings new logins, which are then linked to it (the model's "implicit link").
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "api/context.hpp"
#include "storage/identity_model.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api::identity {

// The Logins member (LoginsMap): null when absent or empty; SerializationException when not an
// object; InvalidParameterException past 10 entries or for a key outside 1..128 characters.
const rapidjson::Value* optional_logins_member(const rapidjson::Value& in);

struct identity_claim {
    std::string identity_id;
    std::string pool;                            // the identity's pool when it was read
    std::vector<storage::identity_login> logins;  // verified
    std::vector<std::string> providers;          // linked to the identity once admitted
};

// Reads the identity (ResourceNotFoundException when it or its pool is unknown) and verifies
// `logins` (null: none) as GetId does (api/identity/verify_logins.hpp), with this server's own
// tokens accepted under cognito-identity.amazonaws.com. Throws NotAuthorizedException for a
// login that does not verify.
identity_claim verify_identity_logins(context& ctx, const std::string& identity_id, const rapidjson::Value* logins);

enum class admission { admitted, no_identity, no_pool, unauthenticated_refused, logins_dont_match, linked_elsewhere };

// In a write job: whether the claim may act as its identity (read again, under its lock), linking
// the claim's new logins to it when admitted and filling claim.providers.
admission admit(storage::write_view& v, identity_claim& claim);

// The model's error for an outcome other than admitted.
[[noreturn]] void refuse(admission a, const identity_claim& claim);

}  // namespace cogsync::api::identity
