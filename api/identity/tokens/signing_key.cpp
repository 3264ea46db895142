#include "api/identity/tokens/signing_key.hpp"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <stdexcept>

#include "api/base64url.hpp"
#include "api/identity/tokens/jwk.hpp"

namespace cogsync::api::identity {

signing_key::signing_key(shared_pkey key) : key_(std::move(key)) {
    if (!key_ || EVP_PKEY_get_base_id(key_.get()) != EVP_PKEY_RSA || EVP_PKEY_get_bits(key_.get()) < 2048)
        throw std::runtime_error("the identity token signing key is not an RSA key of 2048 bits or more");
    n_ = base64url_encode(key_param_bytes(key_.get(), OSSL_PKEY_PARAM_RSA_N));
    e_ = base64url_encode(key_param_bytes(key_.get(), OSSL_PKEY_PARAM_RSA_E));
    kid_ = rsa_thumbprint(n_, e_);
}

signing_key signing_key::generate() {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    if (!key) throw std::runtime_error("OpenSSL could not generate an RSA-2048 key");
    return signing_key(share(key));
}

signing_key signing_key::from_pem(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    if (!key) throw std::runtime_error("the stored identity token signing key is damaged: not a PEM private key");
    return signing_key(share(key));
}

std::string signing_key::pem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    if (!bio || PEM_write_bio_PKCS8PrivateKey(bio, key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        BIO_free(bio);
        throw std::runtime_error("OpenSSL could not write the signing key as PEM");
    }
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(size));
    BIO_free(bio);
    return out;
}

signing_key load_or_create_signing_key(storage::record_store& store) {
    return signing_key::from_pem(store.node_secret("identity_signing_key", [] { return signing_key::generate().pem(); }));
}

const signing_key& signing_key_cache::get() {
    std::call_once(loaded_, [this] { key_.emplace(load_or_create_signing_key(store_)); });
    return *key_;
}

}  // namespace cogsync::api::identity
