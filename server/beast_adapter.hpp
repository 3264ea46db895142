#pragma once
// Beast <-> api: the only place HTTP types meet the API's plain request and response.
#include <boost/beast/http.hpp>
#include <string>

#include "api/request.hpp"

namespace cogsync::server {

namespace http = boost::beast::http;
using beast_request = http::request<http::string_body>;
using beast_response = http::response<http::string_body>;

api::request to_api_request(beast_request&& req, std::string request_id);
beast_response to_beast_response(api::response&& resp, unsigned version, bool keep_alive);

// The response's status line and header fields as Beast's serializer writes them, byte for byte,
// in one string: the session writes it and the body as two buffers in one call, instead of
// walking the serializer's buffer sequences (about a tenth of a /health request's CPU).
std::string head_of(const beast_response& resp);

// A random UUID (version 4) for x-amzn-RequestId.
std::string new_request_id();

}  // namespace cogsync::server
