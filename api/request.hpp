#pragma once
// The plain request and response the API layer works on; the server adapts Beast to these.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cogsync::api {

using header_list = std::vector<std::pair<std::string, std::string>>;

// The AWS service a request speaks: its errors take that service's statuses and its answers that
// service's content type (api/api_error.hpp, api/handle_request.cpp).
enum class service { sync, identity };

struct request {
    std::string method;        // "GET", "POST", "DELETE", "OPTIONS", ...
    std::string path;          // raw path as received, still percent-encoded, no query
    std::string query;         // raw query string after '?', still percent-encoded
    header_list headers;       // names as received
    std::string body;
    std::string request_id;
    std::string client_address;  // the peer's IP address as the server sees it; empty: unknown
    // The request's metrics series (api/metrics.hpp), learnt while dispatching: the route's
    // operation once routed, 0 ("Unknown") for a request refused before (404, unauthenticated).
    mutable std::size_t operation = 0;
    // Learnt while dispatching: POST / with X-Amz-Target speaks Cognito Identity.
    mutable service speaks = service::sync;

    // Case-insensitive header lookup.
    std::optional<std::string_view> header(std::string_view name) const;
};

// The method a request stands for (PROTOCOL.md 1.2). The Unity build of the .NET SDK cannot send
// DELETE: DeleteDataset and UnsubscribeFromDataset go out as POST with X-HTTP-Method-Override:
// DELETE and body {}, signed as DELETE (aws-sdk-net Custom/Internal/_unity/
// AmazonCognitoSyncPostMarshallHandler.cs, AmazonCognitoSyncPostSignHandler.cs), so that POST is
// a DELETE for routing and for the SigV4 canonical request. An override naming the wire method
// changes nothing (the Unity SDK 1.x sent X-HTTP-Method-Override: POST on POSTs); any other is
// refused with 400 InvalidParameterException (api_error).
std::string_view effective_method(const request& req);

struct response {
    unsigned status = 200;
    header_list headers;       // besides the ones every response carries
    std::string body;          // JSON
};

}  // namespace cogsync::api
