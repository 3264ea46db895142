#include "api/request.hpp"

#include <strings.h>

#include "api/api_error.hpp"

namespace cogsync::api {

std::optional<std::string_view> request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return std::string_view(v);
    return std::nullopt;
}

std::string_view effective_method(const request& req) {
    auto named = req.header("X-HTTP-Method-Override");
    if (!named || *named == req.method) return req.method;
    if (req.method == "POST" && *named == "DELETE") return *named;
    throw api_error(error_code::invalid_parameter,
                    "X-HTTP-Method-Override must be DELETE on a POST, or name the request's own method");
}

}  // namespace cogsync::api
