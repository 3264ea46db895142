#include "api/call.hpp"

#include <stdexcept>

namespace cogsync::api {

const std::string& call::param(std::string_view name) const {
    for (const auto& [k, v] : params)
        if (k == name) return v;
    throw std::logic_error("route has no parameter " + std::string(name));
}

std::optional<std::string> call::query_value(std::string_view name) const {
    for (const auto& [k, v] : query)
        if (k == name) return v;
    return std::nullopt;
}

}  // namespace cogsync::api
