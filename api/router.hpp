#pragma once
// The route table: the 17 URI templates of service-2.json as data. Matching splits the raw path
// on '/', then percent-decodes each segment (PROTOCOL.md 1.2), so "%2F" inside an id stays in
// its segment. Content-Type and X-Amz-Target play no part.
#include <string_view>
#include <vector>

#include "api/call.hpp"
#include "api/context.hpp"
#include "api/request.hpp"
#include "api/step.hpp"

namespace cogsync::api {

using handler = step (*)(const call&, context&);

struct route {
    const char* method;
    const char* path;        // template with {Name} segments
    const char* operation;   // model operation name
    auth::access access;     // which credentials may call it (PROTOCOL.md 8)
    handler fn;
};

const std::vector<route>& route_table();

struct route_match {
    const route* target;
    query_list params;
};

// Throws api_error 400 InvalidParameterException when the raw path has a "." or ".." segment.
// SigV4 canonicalisation removes such segments (api/auth/canonical.hpp) while routing matches
// segments as sent, so a signature captured for one path would authenticate another; no Cognito
// Sync path contains one, so they are refused before authentication.
void refuse_dot_segments(std::string_view raw_path);

// Throws api_error: 404 UnknownOperationException when no template matches the path,
// 405 when one does but not with this method, 400 on a malformed escape in the path.
route_match match_route(std::string_view method, std::string_view raw_path);

}  // namespace cogsync::api
