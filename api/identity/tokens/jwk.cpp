#include "api/identity/tokens/jwk.hpp"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>
#include <rapidjson/document.h>

#include "api/base64url.hpp"
#include "api/identity/tokens/json_text.hpp"

namespace cogsync::api::identity {

std::string bignum_bytes(const BIGNUM* n) {
    std::string out(static_cast<size_t>(BN_num_bytes(n)), '\0');
    BN_bn2bin(n, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

std::string key_param_bytes(const EVP_PKEY* key, const char* name) {
    BIGNUM* n = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &n) != 1) return {};
    std::string out = bignum_bytes(n);
    BN_free(n);
    return out;
}

namespace {


struct param_bld_free {
    void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct bn_free {
    void operator()(BIGNUM* b) const { BN_free(b); }
};

std::string sha256_b64(const std::string& text) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    return base64url_encode({reinterpret_cast<const char*>(digest), sizeof digest});
}

// EVP_PKEY_fromdata over the parameters `fill` adds; null when OpenSSL refuses them.
template <typename Fill>
EVP_PKEY* key_from(const char* type, Fill fill) {
    std::unique_ptr<OSSL_PARAM_BLD, param_bld_free> bld(OSSL_PARAM_BLD_new());
    std::unique_ptr<BIGNUM, bn_free> a, b;
    if (!bld || !fill(bld.get(), a, b)) return nullptr;
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld.get());
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
    EVP_PKEY* key = nullptr;
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1) EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return key;
}

std::variant<public_jwk, std::string> rsa_key(const std::string& n64, const std::string& e64) {
    auto n = base64url_decode(n64), e = base64url_decode(e64);
    if (!n || !e || n->empty() || e->empty()) return std::string("RSA key needs base64url \"n\" and \"e\"");
    auto fill = [&](OSSL_PARAM_BLD* bld, auto& bn_n, auto& bn_e) {
        bn_n.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr));
        bn_e.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr));
        return bn_n && bn_e && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n.get()) &&
               OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e.get());
    };
    shared_pkey key = share(key_from("RSA", fill));
    if (!key) return std::string("RSA key \"n\"/\"e\" rejected by OpenSSL");
    if (EVP_PKEY_get_bits(key.get()) < 2048) return std::string("RSA key shorter than 2048 bits");
    return public_jwk{"", "RS256", key};
}

std::variant<public_jwk, std::string> ec_key(const std::string& crv, const std::string& x64, const std::string& y64) {
    if (crv != "P-256") return "EC curve '" + crv + "' is not supported (only P-256, for ES256)";
    auto x = base64url_decode(x64), y = base64url_decode(y64);
    if (!x || !y || x->size() != 32 || y->size() != 32) return std::string("EC key needs 32-byte base64url \"x\" and \"y\"");
    std::string point = "\x04" + *x + *y;
    auto fill = [&](OSSL_PARAM_BLD* bld, auto&, auto&) {
        return OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
               OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    };
    shared_pkey key = share(key_from("EC", fill));
    if (!key) return std::string("EC key \"x\"/\"y\" is not a point of P-256");
    return public_jwk{"", "ES256", key};
}

std::variant<public_jwk, std::string> one_key(const rapidjson::Value& jwk) {
    if (!jwk.IsObject()) return std::string("each key must be a JSON object");
    std::string kty = json_text(jwk, "kty");
    std::variant<public_jwk, std::string> made = std::string("unsupported key type \"kty\": '" + kty + "' (RSA or EC)");
    if (kty == "RSA") made = rsa_key(json_text(jwk, "n"), json_text(jwk, "e"));
    if (kty == "EC") made = ec_key(json_text(jwk, "crv"), json_text(jwk, "x"), json_text(jwk, "y"));
    auto* key = std::get_if<public_jwk>(&made);
    if (!key) return made;
    std::string alg = json_text(jwk, "alg");
    if (!alg.empty() && alg != key->alg) return "\"alg\" '" + alg + "' does not fit a " + kty + " key (" + key->alg + ")";
    key->kid = json_text(jwk, "kid");
    return made;
}

}  // namespace

std::variant<std::vector<public_jwk>, std::string> parse_jwks(std::string_view json) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) return std::string("not a JSON object");
    auto keys = doc.FindMember("keys");
    if (keys == doc.MemberEnd() || !keys->value.IsArray()) return std::string("expected {\"keys\": [...]}");
    std::vector<public_jwk> out;
    size_t index = 0;
    for (const auto& jwk : keys->value.GetArray()) {
        ++index;
        if (jwk.IsObject() && !json_text(jwk, "use").empty() && json_text(jwk, "use") != "sig") continue;
        auto made = one_key(jwk);
        if (auto* error = std::get_if<std::string>(&made)) return "key " + std::to_string(index) + ": " + *error;
        out.push_back(std::get<public_jwk>(std::move(made)));
    }
    return out;
}

std::string rsa_thumbprint(std::string_view n, std::string_view e) {
    return sha256_b64("{\"e\":\"" + std::string(e) + "\",\"kty\":\"RSA\",\"n\":\"" + std::string(n) + "\"}");
}

std::string ec_thumbprint(std::string_view x, std::string_view y) {
    return sha256_b64("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + std::string(x) + "\",\"y\":\"" + std::string(y) + "\"}");
}

}  // namespace cogsync::api::identity
