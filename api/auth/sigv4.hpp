#pragma once
// AWS Signature Version 4 verification of an api::request (PROTOCOL.md 1.1, 4.5).
//
// Accepts the Authorization-header form and the presigned-query form. The canonical URI is rebuilt
// from the raw, still percent-encoded path, so the double encoding the SDKs sign ("%3A" ->
// "%253A") is reproduced and never undone. Failures throw api_error with the AWS code the SDKs
// expect:
//   403 MissingAuthenticationTokenException  no Authorization header and no presigned query
//   400 IncompleteSignatureException         malformed Authorization / presigned parameters
//   400 RequestExpired                       X-Amz-Date more than max_skew away from now, or a
//                                            presigned URL past X-Amz-Expires
//   403 UnrecognizedClientException          unknown access key, or a session token that is
//                                            missing, unexpected or different
//   403 ExpiredTokenException                a correctly signed request by a key past its expiry
//   403 InvalidSignatureException            wrong service in the scope, scope date != X-Amz-Date,
//                                            payload hash != body, signature mismatch
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/request.hpp"

namespace cogsync::api::auth {

// What a minted (temporary) key acts as, and until when.
struct minted_scope {
    std::string identity_pool;
    std::string identity_id;
    int64_t expires_ms = 0;
};

struct signing_key_lookup_result {
    std::string secret;
    std::optional<std::string> session_token;  // set: requests must carry exactly this token
    std::optional<minted_scope> minted;        // set: a minted key, refused once expired
};

// Looks up an access key; nullopt = unknown key.
using secret_lookup = std::function<std::optional<signing_key_lookup_result>(std::string_view access_key)>;

struct verified {
    std::string access_key;
    std::optional<minted_scope> minted;
};

class sigv4_verifier {
public:
    // `service` is the signing name the credential scope must carry ("cognito-sync" on the wire,
    // "service" for the AWS test-suite vectors). Any region is accepted.
    sigv4_verifier(secret_lookup lookup, std::string service = "cognito-sync",
                   int64_t max_skew_ms = 15 * 60 * 1000);

    // Verifies `req` at `now_ms` (milliseconds since the epoch); throws api_error on failure.
    verified verify(const api::request& req, int64_t now_ms) const { return verify(req, now_ms, service_); }
    // The same, with the scope checked against `service` (the signing name of the route's API:
    // "cognito-sync" or "cognito-identity").
    verified verify(const api::request& req, int64_t now_ms, std::string_view service) const;

private:
    secret_lookup lookup_;
    std::string service_;
    int64_t max_skew_ms_;
};

// The SigV4 canonical request for `req`, given the signed-header list and payload hash; its
// method is the one the request stands for (api::effective_method: Unity signs as DELETE what it
// sends as POST with X-HTTP-Method-Override: DELETE). Exposed
// for tests and debugging logs; presigned requests leave X-Amz-Signature out of the query.
std::string canonical_request(const api::request& req, std::string_view signed_headers,
                              std::string_view payload_hash, bool presigned);

}  // namespace cogsync::api::auth
