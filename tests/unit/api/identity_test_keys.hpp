#pragma once
// Keys made in the test with OpenSSL, standing in for an OpenID Connect provider: their JWK and
// tokens they sign, RS256 or ES256, with any header and claims.
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "api/base64url.hpp"
#include "api/identity/tokens/openssl_ptr.hpp"

namespace cogsync::testing {

struct provider_key {
    api::identity::shared_pkey key;
    std::string alg;  // RS256 | ES256
    std::string kid;

    static provider_key rsa(std::string kid, unsigned bits = 2048) {
        return {api::identity::share(EVP_RSA_gen(bits)), "RS256", std::move(kid)};
    }
    static provider_key ec(std::string kid) { return {api::identity::share(EVP_EC_gen("P-256")), "ES256", std::move(kid)}; }

    std::string jwk() const {
        using api::base64url_encode;
        using api::identity::key_param_bytes;
        std::string out = "{\"kid\":\"" + kid + "\",\"alg\":\"" + alg + "\",\"use\":\"sig\",";
        if (alg == "RS256")
            return out + "\"kty\":\"RSA\",\"n\":\"" + base64url_encode(key_param_bytes(key.get(), OSSL_PKEY_PARAM_RSA_N)) +
                   "\",\"e\":\"" + base64url_encode(key_param_bytes(key.get(), OSSL_PKEY_PARAM_RSA_E)) + "\"}";
        return out + "\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" +
               base64url_encode(coordinate(OSSL_PKEY_PARAM_EC_PUB_X)) + "\",\"y\":\"" +
               base64url_encode(coordinate(OSSL_PKEY_PARAM_EC_PUB_Y)) + "\"}";
    }

    // An EC coordinate as the fixed 32 bytes a P-256 JWK carries (leading zeros kept).
    std::string coordinate(const char* name) const {
        std::string bytes = api::identity::key_param_bytes(key.get(), name);
        return std::string(32 - bytes.size(), '\0') + bytes;
    }

    // base64url(header).base64url(claims).base64url(signature)
    std::string sign(const std::string& header, const std::string& claims) const {
        std::string input = api::base64url_encode(header) + "." + api::base64url_encode(claims);
        return input + "." + api::base64url_encode(signature(input));
    }
    // A header naming this key's alg and kid.
    std::string sign(const std::string& claims) const {
        return sign("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}", claims);
    }

    std::string signature(const std::string& input) const {
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
        size_t size = 0;
        auto* data = reinterpret_cast<const unsigned char*>(input.data());
        if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
            EVP_DigestSign(ctx.get(), nullptr, &size, data, input.size()) != 1)
            throw std::runtime_error("sign");
        std::string sig(size, '\0');
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size, data, input.size());
        sig.resize(size);
        return alg == "ES256" ? raw_ecdsa(sig) : sig;
    }

    // DER ECDSA-Sig-Value -> r||s, 32 bytes each (RFC 7518 3.4).
    static std::string raw_ecdsa(const std::string& der) {
        auto* p = reinterpret_cast<const unsigned char*>(der.data());
        ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
        std::string out(64, '\0');
        BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(out.data()), 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(out.data()) + 32, 32);
        ECDSA_SIG_free(sig);
        return out;
    }
};

}  // namespace cogsync::testing
