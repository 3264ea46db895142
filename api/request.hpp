#pragma once
// The plain request and response the API layer works on; the server adapts Beast to these.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cogsync::api {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct request {
    std::string method;        // "GET", "POST", "DELETE", "OPTIONS", ...
    std::string path;          // raw path as received, still percent-encoded, no query
    std::string query;         // raw query string after '?', still percent-encoded
    header_list headers;       // names as received
    std::string body;
    std::string request_id;

    // Case-insensitive header lookup.
    std::optional<std::string_view> header(std::string_view name) const;
};

struct response {
    unsigned status = 200;
    header_list headers;       // besides the ones every response carries
    std::string body;          // JSON
};

}  // namespace cogsync::api
