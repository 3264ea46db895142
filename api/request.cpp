#include "api/request.hpp"

#include <strings.h>

namespace cogsync::api {

std::optional<std::string_view> request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return std::string_view(v);
    return std::nullopt;
}

}  // namespace cogsync::api
