#pragma once
// The one error type of the API layer: an AWS error code, its HTTP status and a message.
// Thrown or returned by operations, written to the wire in exactly one place
// (api/error_response.cpp). PROTOCOL.md section 4.
#include <stdexcept>
#include <string>

#include "api/request.hpp"

namespace cogsync::api {

enum class error_code {
    invalid_parameter,
    not_authorized,
    resource_not_found,
    resource_conflict,
    limit_exceeded,
    too_many_requests,
    internal_error,
    invalid_configuration,
    duplicate_request,
    already_streamed,
    concurrent_modification,
    invalid_lambda_function_output,
    lambda_throttled,
    serialization,          // outside the model (PROTOCOL.md 4.5)
    unknown_operation,      // no route: 404 UnknownOperationException
    method_not_allowed,     // route exists, verb does not: 405
    request_entity_too_large,
    unsupported_operation,  // an operation this release does not serve yet
    // SigV4 verification (api/auth/sigv4.hpp), outside the model (PROTOCOL.md 4.5)
    unrecognized_client,            // 403: unknown access key or wrong session token
    invalid_signature,              // 403: signature mismatch
    incomplete_signature,           // 400: malformed Authorization / presigned query
    missing_authentication_token,   // 403: no credentials at all
    request_expired,                // 400: timestamp outside the skew window or past X-Amz-Expires
    expired_token,                  // 403: expired session token
    uri_too_long,                   // 414: request target over the configured limit
    service_unavailable,            // 503: the server is at its memory budget; retry later
    lambda_socket_timeout,          // 400: the Sync Trigger outlived its 5 s (PROTOCOL.md 4.5, 7.3)
    // Cognito Identity only (reference/cognito-identity/service-2.json)
    external_service,
    developer_user_already_registered,
    invalid_identity_pool_configuration,
};

// Wire name (x-amzn-ErrorType and __type) and HTTP status of each code.
const char* error_type_name(error_code c);
unsigned error_status(error_code c);
// The status of each code as the given service answers it. Cognito Identity's model gives its
// errors no httpStatusCode, so they take the JSON protocol's defaults: 400, and 500 for
// InternalErrorException (a fault). NotAuthorizedException, ResourceNotFoundException,
// ResourceConflictException, TooManyRequestsException and UnknownOperationException are 400 there
// where Cognito Sync answers 403, 404, 409, 429 and 404; the SigV4 and transport errors keep theirs.
unsigned error_status(error_code c, service s);

class api_error : public std::runtime_error {
public:
    api_error(error_code code, std::string message)
        : std::runtime_error(std::move(message)), code_(code) {}
    error_code code() const { return code_; }
    unsigned status() const { return error_status(code_); }
    unsigned status(service s) const { return error_status(code_, s); }
    const char* type_name() const { return error_type_name(code_); }

private:
    error_code code_;
};

}  // namespace cogsync::api
