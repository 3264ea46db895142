#include "config/store_url.hpp"

namespace cogsync::config {

bool is_postgres_url(const std::string& store) {
    return store.starts_with("postgres://") || store.starts_with("postgresql://");
}

// scheme://user:password@host... : the password is what lies between the first ':' after the
// scheme and the last '@' of the authority (a password may itself hold '@' or ':').
std::string masked_store_url(const std::string& store) {
    const auto scheme = store.find("://");
    if (scheme == std::string::npos) return store;
    const auto authority = scheme + 3;
    const auto end = store.find_first_of("/?#", authority);
    const auto at = store.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at == std::string::npos || at < authority) return store;
    const auto colon = store.find(':', authority);
    if (colon == std::string::npos || colon > at) return store;
    return store.substr(0, colon + 1) + "***" + store.substr(at);
}

}  // namespace cogsync::config
