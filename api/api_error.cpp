#include "api/api_error.hpp"

namespace cogsync::api {
namespace {

struct error_row {
    const char* name;
    unsigned status;
};

// PROTOCOL.md 4.3 and 4.5; indexed by error_code.
constexpr error_row table[] = {
    {"InvalidParameterException", 400},
    {"NotAuthorizedException", 403},
    {"ResourceNotFoundException", 404},
    {"ResourceConflictException", 409},
    {"LimitExceededException", 400},
    {"TooManyRequestsException", 429},
    {"InternalErrorException", 500},
    {"InvalidConfigurationException", 400},
    {"DuplicateRequestException", 400},
    {"AlreadyStreamedException", 400},
    {"ConcurrentModificationException", 400},
    {"InvalidLambdaFunctionOutputException", 400},
    {"LambdaThrottledException", 429},
    {"SerializationException", 400},
    {"UnknownOperationException", 404},
    {"MethodNotAllowedException", 405},
    {"RequestEntityTooLarge", 413},
    {"UnsupportedOperationException", 400},
    {"UnrecognizedClientException", 403},
    {"InvalidSignatureException", 403},
    {"IncompleteSignatureException", 400},
    {"MissingAuthenticationTokenException", 403},
    {"RequestExpired", 400},
    {"ExpiredTokenException", 403},
    {"RequestURITooLong", 414},
    {"ServiceUnavailableException", 503},
    // 4xx, so no SDK retries it and one UpdateRecords calls the trigger once: botocore retries
    // 500/502/503/504 (retries/standard.py), the JS SDK v3 the same statuses
    // (@smithy/service-error-classification) and Android (PredefinedRetryPolicies.java) too.
    {"LambdaSocketTimeoutException", 400},
    {"ExternalServiceException", 400},
    {"DeveloperUserAlreadyRegisteredException", 400},
    {"InvalidIdentityPoolConfigurationException", 400},
};
static_assert(sizeof(table) / sizeof(table[0]) == static_cast<int>(error_code::invalid_identity_pool_configuration) + 1);

}  // namespace

const char* error_type_name(error_code c) { return table[static_cast<int>(c)].name; }
unsigned error_status(error_code c) { return table[static_cast<int>(c)].status; }

unsigned error_status(error_code c, service s) {
    if (s == service::sync) return error_status(c);
    switch (c) {
        case error_code::not_authorized:
        case error_code::resource_not_found:
        case error_code::resource_conflict:
        case error_code::too_many_requests:
        case error_code::unknown_operation:
        case error_code::lambda_throttled:
            return 400;
        default:
            return error_status(c);
    }
}

}  // namespace cogsync::api
