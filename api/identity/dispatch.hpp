#pragma once
// The Cognito Identity endpoint (API 2014-06-30, JSON 1.1): POST / with
// X-Amz-Target: AWSCognitoIdentityService.<Operation>, served on the same port as Cognito Sync.
//
// Seams:
//  * A new operation is one file under api/identity/ops/ (declared in ops/operations.hpp) and one
//    row {operation, access, fn} in route_table() (dispatch.cpp); nothing else changes.
//  * Access is declared per row (api/identity/identity_call.hpp): developer or unauthenticated.
//    An operation reads its caller from identity_call::who and checks pools with check_pool().
//  * Inputs are checked against reference/cognito-identity/service-2.json by the helpers of
//    api/identity/shapes.hpp; answers go out through json11_response().
//  * Errors are api_error like everywhere; request::speaks = service::identity gives them
//    Cognito Identity's statuses (api/api_error.hpp) and the JSON 1.1 content type.
#include <string_view>
#include <vector>

#include "api/context.hpp"
#include "api/identity/identity_call.hpp"
#include "api/request.hpp"
#include "api/step.hpp"

namespace cogsync::api::identity {

inline constexpr std::string_view target_prefix = "AWSCognitoIdentityService.";
inline constexpr std::string_view signing_name = "cognito-identity";

const std::vector<route>& route_table();

// The route named by an X-Amz-Target value. Throws UnknownOperationException when the target is
// missing (404: POST / is then no request of this service, as on the sync side), names another
// service, or names no operation of this one (400).
const route& match_target(std::optional<std::string_view> target);

// Whether the request is for this endpoint: POST to "/" (any X-Amz-Target, checked later).
bool is_identity_request(const request& req);

// Parses the target and body, authenticates as the route's access requires, runs the operation.
step dispatch(const request& req, context& ctx);

}  // namespace cogsync::api::identity
