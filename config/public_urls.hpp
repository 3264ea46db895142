#pragma once
// The URLs this server names itself by, once its port is bound.
#include <cstdint>
#include <string>

#include "config/settings.hpp"

namespace cogsync::config {

// --public-url without a trailing '/', else http:// and the listen address with the bound port (a
// wildcard listen address is not reachable as such: 127.0.0.1 stands in for it).
std::string public_url(const settings& s, uint16_t bound_port);

// The iss of the OpenID tokens this server signs: --token-issuer, else public_url. Relying parties
// (an IAM-like trust policy, an OIDC library) compare it byte for byte, so it must not change.
std::string token_issuer(const settings& s, uint16_t bound_port);

}  // namespace cogsync::config
