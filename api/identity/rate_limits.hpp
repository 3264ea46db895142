#pragma once
// Rate limits of the unsigned Cognito Identity operations (README "Limits"). GetId creates an
// identity per call, so it is limited per client address and per pool; GetCredentialsForIdentity
// and GetOpenIdToken mint per call, so they are limited per identity. A name too long to be a
// valid id takes no bucket (the operation refuses it), so a caller cannot grow the buckets with
// made-up names faster than its address's GetId limit lets it.
#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

#include "api/context.hpp"
#include "api/request.hpp"

namespace cogsync::api::identity {

// Takes a token from each bucket `operation` draws on; throws TooManyRequestsException (400 on
// this endpoint, which botocore and the SDKs know as a throttling error) when one is empty.
void check_rate(const identity_rate_limits& limits, std::string_view operation, const request& req,
                const rapidjson::Value& input, int64_t now_ms);

}  // namespace cogsync::api::identity
