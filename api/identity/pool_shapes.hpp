#pragma once
// The IdentityPool shape in and out. The members the store never interprets
// (SupportedLoginProviders, OpenIdConnectProviderARNs, CognitoIdentityProviders, SamlProviderARNs,
// IdentityPoolTags) are checked here and kept as one JSON object: storage::identity_pool::description.
#include <rapidjson/document.h>

#include "api/json_codec.hpp"
#include "api/request.hpp"
#include "storage/identity_model.hpp"

namespace cogsync::api::identity {

// CreateIdentityPool's and UpdateIdentityPool's members, checked against the model; id, roles and
// created_ms are left for the caller.
storage::identity_pool pool_from_input(const rapidjson::Value& in);

// The IdentityPool shape (CreateIdentityPool, DescribeIdentityPool, UpdateIdentityPool answers).
void write_pool(json_writer& w, const storage::identity_pool& p);
// The answer holding the IdentityPool shape.
response pool_response(const storage::identity_pool& p);

}  // namespace cogsync::api::identity
