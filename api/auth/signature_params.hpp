#pragma once
// What a SigV4-signed request claims about itself, read from either the Authorization header or
// the presigned query (X-Amz-Algorithm, X-Amz-Credential, ...). Syntax only: nothing here knows a
// secret or the clock.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/request.hpp"

namespace cogsync::api::auth {

struct signature_params {
    bool presigned = false;
    std::string access_key;
    std::string scope_date;      // YYYYMMDD
    std::string region;
    std::string service;
    std::string scope;           // "<date>/<region>/<service>/aws4_request"
    std::string signed_headers;  // as sent, lowercase names joined by ';'
    std::string signature;       // hex as sent
    std::string amz_date;        // YYYYMMDDTHHMMSSZ
    int64_t date_ms = 0;
    std::optional<int64_t> expires_s;            // presigned X-Amz-Expires
    std::optional<std::string> security_token;   // X-Amz-Security-Token (query or header)
};

// Throws api_error (PROTOCOL.md 4.5):
//  - neither an Authorization header nor a presigned query: 403 MissingAuthenticationTokenException;
//  - both, a wrong algorithm, a missing Credential/SignedHeaders/Signature, a malformed credential
//    scope, an unsigned host or date, a missing or malformed date, X-Amz-Expires not in
//    0..604800: 400 IncompleteSignatureException.
signature_params read_signature_params(const request& req);

// "YYYYMMDDTHHMMSSZ" <-> milliseconds since the epoch (UTC).
std::optional<int64_t> parse_amz_date(std::string_view s);
std::string format_amz_date(int64_t ms);

}  // namespace cogsync::api::auth
