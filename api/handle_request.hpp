#pragma once
// The API's single entry point: route, run the operation, and turn every failure into an
// AWS-shaped error. The response carries every header the wire needs (PROTOCOL.md 1.3).
#include "api/context.hpp"
#include "api/request.hpp"

namespace cogsync::api {

response handle_request(const request& req, context& ctx);

class api_error;

// The reply to a request refused before it reached the API (too large, malformed HTTP), with the
// same headers and error shape as every other error.
response reject_request(const request& req, const api_error& e);

}  // namespace cogsync::api
