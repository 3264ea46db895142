#pragma once
// One routed request as operations see it: decoded path parameters and query, the principal.
#include <optional>
#include <string>
#include <string_view>

#include "api/auth/access.hpp"
#include "api/percent.hpp"
#include "api/request.hpp"

namespace cogsync::api {

struct call {
    const request& req;
    query_list params;       // path parameters by model name, percent-decoded
    query_list query;        // query string, percent-decoded
    std::string principal;   // recorded as LastModifiedBy (PROTOCOL.md 5.10)
    auth::caller who;        // the authenticated caller (kind open without keys)

    // Path parameter; the route guarantees it is present.
    const std::string& param(std::string_view name) const;
    std::optional<std::string> query_value(std::string_view name) const;
};

}  // namespace cogsync::api
