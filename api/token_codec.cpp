#include "api/token_codec.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

#include "api/auth/crypto.hpp"
#include "api/base64url.hpp"

namespace cogsync::api {
namespace {

constexpr std::size_t mac_size = 32;
constexpr char session_version = '\x01';

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

void put_u64(std::string& out, uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

uint64_t get_u64(std::string_view in) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
    return v;
}

}  // namespace

token_codec::token_codec(std::string key) {
    if (key.size() < 32) throw std::invalid_argument("token key must hold at least 32 bytes");
    key_ = std::make_shared<const auth::hmac_sha256_key>(key);
    OPENSSL_cleanse(key.data(), key.size());
}

std::string token_codec::random_bytes(std::size_t n) {
    constexpr std::size_t block = 1024, small = 64;
    std::string out(n, '\0');
    auto* dest = reinterpret_cast<unsigned char*>(out.data());
    if (n > small) {
        if (RAND_bytes(dest, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
        return out;
    }
    thread_local unsigned char pool[block];
    thread_local std::size_t left = 0;
    if (left < n) {
        if (RAND_bytes(pool, static_cast<int>(block)) != 1) throw std::runtime_error("RAND_bytes failed");
        left = block;
    }
    // Handed out from the end and wiped, so no byte is ever given twice or left behind.
    unsigned char* from = pool + (left - n);
    std::memcpy(dest, from, n);
    OPENSSL_cleanse(from, n);
    left -= n;
    return out;
}

std::string token_codec::mac(std::string_view payload, std::string_view binding) const {
    // The binding is length-prefixed so that (payload, binding) pairs cannot be re-split.
    std::string size;
    put_u64(size, payload.size());
    return key_->sign({size, payload, binding});
}

std::string token_codec::seal(std::string_view payload, std::string_view binding) const {
    std::string bytes(payload);
    bytes += mac(payload, binding);
    return base64url_encode(bytes);
}

std::optional<std::string> token_codec::unseal(std::string_view token, std::string_view binding) const {
    auto bytes = base64url_decode(token);
    if (!bytes || bytes->size() < mac_size) return std::nullopt;
    std::string_view all(*bytes);
    auto payload = all.substr(0, all.size() - mac_size);
    auto expected = mac(payload, binding);
    if (CRYPTO_memcmp(expected.data(), all.data() + payload.size(), mac_size) != 0) return std::nullopt;
    return std::string(payload);
}

std::string token_codec::issue_session(std::string_view binding, int64_t expires_ms, session_ticket* out) const {
    std::string id = random_bytes(16);
    std::string payload(1, session_version);
    put_u64(payload, static_cast<uint64_t>(expires_ms));
    payload += id;
    if (out) *out = session_ticket{hex(id), expires_ms};
    return seal(payload, binding);
}

std::optional<session_ticket> token_codec::open_session(std::string_view token, std::string_view binding) const {
    auto payload = unseal(token, binding);
    if (!payload || payload->size() != 1 + 8 + 16 || (*payload)[0] != session_version) return std::nullopt;
    std::string_view p(*payload);
    return session_ticket{hex(p.substr(9)), static_cast<int64_t>(get_u64(p.substr(1, 8)))};
}

}  // namespace cogsync::api
