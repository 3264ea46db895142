#pragma once
// The discovery documents of cogsync as an OpenID token issuer, unsigned like any OpenID
// provider's: GET /.well-known/jwks.json and /.well-known/jwks_uri (the jwks_uri AWS's issuer
// https://cognito-identity.amazonaws.com publishes in its openid-configuration) answer the JWKS of
// the node's signing key; GET /.well-known/openid-configuration answers issuer and jwks_uri. When
// the issuer has a path (--token-issuer https://host/base), the documents are served under that
// path too, where a verifier following OpenID discovery looks for them.
#include <optional>
#include <string>

#include "api/context.hpp"
#include "api/request.hpp"

namespace cogsync::api::identity {

// The document `req` asks for; nullopt when it names none of them.
std::optional<response> well_known_document(const request& req, context& ctx);

}  // namespace cogsync::api::identity
