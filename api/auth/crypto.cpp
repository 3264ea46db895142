#include "api/auth/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace cogsync::api::auth {

std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 0x0f];
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("EVP_Digest(sha256) failed");
    return to_hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len))
        throw std::runtime_error("HMAC(sha256) failed");
    return std::string(reinterpret_cast<const char*>(md), len);
}

struct hmac_sha256_key::state {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~state() { EVP_MD_CTX_free(ctx); }
};

namespace {

constexpr std::size_t sha256_block = 64;

const EVP_MD* sha256_md() {
    // Fetched once: EVP_sha256() would make every EVP_DigestInit fetch it again.
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!md) throw std::runtime_error("SHA256 is not available");
    return md;
}

void check(int ok, const char* what) {
    if (ok != 1) throw std::runtime_error(std::string(what) + " failed");
}

// The digest state after one block of the (block-sized) key XOR `pad`.
void key_block(EVP_MD_CTX* ctx, const std::string& key, unsigned char pad) {
    unsigned char block[sha256_block];
    for (std::size_t i = 0; i < sha256_block; ++i)
        block[i] = static_cast<unsigned char>((i < key.size() ? static_cast<unsigned char>(key[i]) : 0) ^ pad);
    check(EVP_DigestInit_ex(ctx, sha256_md(), nullptr), "EVP_DigestInit_ex");
    check(EVP_DigestUpdate(ctx, block, sizeof block), "EVP_DigestUpdate");
    OPENSSL_cleanse(block, sizeof block);
}

}  // namespace

hmac_sha256_key::hmac_sha256_key(std::string_view key) : inner_(std::make_unique<state>()), outer_(std::make_unique<state>()) {
    if (!inner_->ctx || !outer_->ctx) throw std::runtime_error("EVP_MD_CTX_new failed");
    std::string k(key);
    if (key.size() > sha256_block) {  // RFC 2104: a key longer than the block is hashed first
        k.assign(32, '\0');
        unsigned int len = 0;
        check(EVP_Digest(key.data(), key.size(), reinterpret_cast<unsigned char*>(k.data()), &len, sha256_md(), nullptr),
              "EVP_Digest");
    }
    key_block(inner_->ctx, k, 0x36);
    key_block(outer_->ctx, k, 0x5c);
    OPENSSL_cleanse(k.data(), k.size());
}

hmac_sha256_key::~hmac_sha256_key() = default;

std::string hmac_sha256_key::sign(std::initializer_list<std::string_view> parts) const {
    thread_local state scratch;
    if (!scratch.ctx) throw std::runtime_error("EVP_MD_CTX_new failed");
    unsigned char inner[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    check(EVP_MD_CTX_copy_ex(scratch.ctx, inner_->ctx), "EVP_MD_CTX_copy_ex");
    for (auto part : parts) check(EVP_DigestUpdate(scratch.ctx, part.data(), part.size()), "EVP_DigestUpdate");
    check(EVP_DigestFinal_ex(scratch.ctx, inner, &len), "EVP_DigestFinal_ex");
    std::string out(32, '\0');
    check(EVP_MD_CTX_copy_ex(scratch.ctx, outer_->ctx), "EVP_MD_CTX_copy_ex");
    check(EVP_DigestUpdate(scratch.ctx, inner, len), "EVP_DigestUpdate");
    check(EVP_DigestFinal_ex(scratch.ctx, reinterpret_cast<unsigned char*>(out.data()), &len), "EVP_DigestFinal_ex");
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cogsync::api::auth
