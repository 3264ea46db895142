#pragma once
// SHA-256, HMAC-SHA256 and hex helpers for SigV4 (OpenSSL underneath).
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace cogsync::api::auth {

std::string sha256_hex(std::string_view data);                         // lowercase hex
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string to_hex(std::string_view bytes);                            // lowercase hex
// Constant-time equality (CRYPTO_memcmp); unequal lengths compare unequal.
bool constant_time_equal(std::string_view a, std::string_view b);

// HMAC-SHA256 under one key, keyed once. OpenSSL's one-shot HMAC() fetches the digest and builds
// and frees a context on every call (about 1.6 us here, against 0.3 us for this): too dear for
// the session token's MAC, which every ListRecords and UpdateRecords computes. Thread-safe: sign()
// only reads the keyed states.
class hmac_sha256_key {
public:
    explicit hmac_sha256_key(std::string_view key);
    ~hmac_sha256_key();
    hmac_sha256_key(const hmac_sha256_key&) = delete;
    hmac_sha256_key& operator=(const hmac_sha256_key&) = delete;

    // Raw 32 bytes over the concatenation of `parts`.
    std::string sign(std::initializer_list<std::string_view> parts) const;

private:
    struct state;
    std::unique_ptr<state> inner_, outer_;  // SHA-256 after the key XOR ipad / opad block
};

}  // namespace cogsync::api::auth
