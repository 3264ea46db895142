#pragma once
// SHA-256, HMAC-SHA256 and hex helpers for SigV4 (OpenSSL underneath).
#include <string>
#include <string_view>

namespace cogsync::api::auth {

std::string sha256_hex(std::string_view data);                         // lowercase hex
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string to_hex(std::string_view bytes);                            // lowercase hex
// Constant-time equality (CRYPTO_memcmp); unequal lengths compare unequal.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace cogsync::api::auth
