#pragma once
// Opaque tokens the server issues: SyncSessionTokens (PROTOCOL.md 5.5) and pagination NextTokens
// (5.9). Each is base64url without padding of a payload followed by an HMAC-SHA256 over the
// payload and a binding (the ids the token is valid for), so a token is refused for any other
// identity, dataset or purpose, and tampering is detected without server state.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/model.hpp"

namespace cogsync::api {

namespace auth {
class hmac_sha256_key;
}

// id: 32 hex characters, random.
using session_ticket = storage::session_key;

class token_codec {
public:
    // key: at least 32 secret bytes; the server keeps one per data directory so that tokens
    // survive a restart.
    explicit token_codec(std::string key);

    std::string issue_session(std::string_view binding, int64_t expires_ms, session_ticket* out) const;
    // nullopt if malformed, forged or bound to something else. Expiry is the caller's check.
    std::optional<session_ticket> open_session(std::string_view token, std::string_view binding) const;

    std::string seal(std::string_view payload, std::string_view binding) const;
    std::optional<std::string> unseal(std::string_view token, std::string_view binding) const;

    // From OpenSSL's CSPRNG. Small requests (a token's id) are served from a per-thread block
    // drawn 1 KiB at a time: RAND_bytes costs about as much for 16 bytes as for a kilobyte.
    static std::string random_bytes(std::size_t n);

private:
    std::string mac(std::string_view payload, std::string_view binding) const;
    std::shared_ptr<const auth::hmac_sha256_key> key_;
};

}  // namespace cogsync::api
