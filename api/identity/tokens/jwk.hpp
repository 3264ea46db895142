#pragma once
// Public JSON Web Keys (RFC 7517) for RS256 (RSA n/e) and ES256 (EC P-256 x/y): reading a JWKS
// document into OpenSSL keys, and RFC 7638 thumbprints.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/identity/tokens/openssl_ptr.hpp"

namespace cogsync::api::identity {

struct public_jwk {
    std::string kid;  // empty when the JWK has none
    std::string alg;  // "RS256" or "ES256": the one algorithm this key verifies
    shared_pkey key;
};

// The keys of a JWKS document ({"keys":[...]}); the first mistake as text otherwise. Keys that
// are not signature keys ("use" other than "sig") are skipped; an RSA key under 2048 bits, an EC
// key on a curve other than P-256, or an "alg" that does not fit the key type is a mistake.
std::variant<std::vector<public_jwk>, std::string> parse_jwks(std::string_view json);

// RFC 7638 thumbprints (SHA-256, base64url) from the JWK members as base64url text.
std::string rsa_thumbprint(std::string_view n, std::string_view e);
std::string ec_thumbprint(std::string_view x, std::string_view y);  // crv P-256

}  // namespace cogsync::api::identity
