#pragma once
// The API's single entry point: route, run the operation, and turn every failure into an
// AWS-shaped error. The response carries every header the wire needs (PROTOCOL.md 1.3).
#include <exception>

#include "api/context.hpp"
#include "api/request.hpp"
#include "api/step.hpp"

namespace cogsync::api {

// Authenticates, routes and runs the operation up to its first write or outbound call.
step handle_request(const request& req, context& ctx);

// Goes on with the request after a step: `next` is the write's `then` (error null) or an
// outbound step's `run`. With an error (the write's job or transaction failed) the answer is
// that error. The same error handling as handle_request.
step resume_request(const request& req, const continuation& next, std::exception_ptr error = nullptr);

class api_error;

// The reply to a request refused before it reached the API (too large, malformed HTTP), with the
// same headers and error shape as every other error.
response reject_request(const request& req, const api_error& e);

}  // namespace cogsync::api
