#pragma once
// Owning handles for the OpenSSL objects of the token layer.
#include <openssl/bn.h>
#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace cogsync::api::identity {

struct pkey_free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
// Shared: a provider's keys are read by every request that verifies a login.
using shared_pkey = std::shared_ptr<EVP_PKEY>;
inline shared_pkey share(EVP_PKEY* p) { return shared_pkey(p, pkey_free{}); }

// Big-endian bytes of an unsigned integer, without leading zero bytes (RFC 7518 6.3.1.1).
std::string bignum_bytes(const BIGNUM* n);
// The BIGNUM parameter `name` of key (OSSL_PKEY_PARAM_RSA_N...) as bignum_bytes; empty when absent.
std::string key_param_bytes(const EVP_PKEY* key, const char* name);

}  // namespace cogsync::api::identity
