#pragma once
// One Cognito Identity request as its operation sees it: the parsed JSON 1.1 body and the caller.
#include <rapidjson/document.h>

#include <string>

#include "api/auth/access.hpp"
#include "api/context.hpp"
#include "api/request.hpp"
#include "api/step.hpp"

namespace cogsync::api::identity {

// Who may call an operation. developer: signed (SigV4, signing name "cognito-identity") by a
// developer key, in sigv4 mode; identity keys are refused; a key limited to some pools acts only on
// those (identity_call::check_pool). unauthenticated: no signature needed and none checked, as on
// AWS (GetId, GetCredentialsForIdentity, GetOpenIdToken); who.kind is then always open.
enum class access { developer, unauthenticated };

struct identity_call {
    const request& req;
    const rapidjson::Document& input;  // the body, a JSON object ({} when empty)
    auth::caller who;                  // kind open in open mode and for unauthenticated operations

    // Throws NotAuthorizedException unless the caller may act on the pool.
    void check_pool(const std::string& pool) const;
    // Throws NotAuthorizedException unless the caller may act on every pool (CreateIdentityPool).
    void check_all_pools() const;
};

using handler = step (*)(const identity_call&, context&);

struct route {
    const char* operation;  // the model's operation name, after "AWSCognitoIdentityService."
    access who;
    handler fn;
};

}  // namespace cogsync::api::identity
