#pragma once
// cogsync's own RS256 key pair: it signs the OpenID tokens of GetOpenIdToken and
// GetOpenIdTokenForDeveloperIdentity, and its public half is published in the JWKS document.
#include <mutex>
#include <optional>
#include <string>

#include "api/identity/tokens/openssl_ptr.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api::identity {

class signing_key {
public:
    // A fresh RSA-2048 key pair.
    static signing_key generate();
    // The key of a PKCS#8 PEM text made by pem(); throws std::runtime_error when it is not an
    // RSA private key.
    static signing_key from_pem(const std::string& pem);

    std::string pem() const;                     // PKCS#8 PEM of the private key
    const std::string& kid() const { return kid_; }  // RFC 7638 thumbprint of the public key
    const std::string& n() const { return n_; }      // base64url modulus
    const std::string& e() const { return e_; }      // base64url public exponent
    EVP_PKEY* key() const { return key_.get(); }

private:
    explicit signing_key(shared_pkey key);
    shared_pkey key_;
    std::string n_, e_, kid_;
};

// The node's signing key, kept in the store's node state (record_store::node_secret) so every
// node sharing the store, and every restart, signs with the same key; generated on first use.
signing_key load_or_create_signing_key(storage::record_store& store);

// The node's signing key, read from the store on first use and then served from memory: once
// stored, the key never changes. Thread-safe; a failed load is retried on the next call.
class signing_key_cache {
public:
    explicit signing_key_cache(storage::record_store& store) : store_(store) {}
    const signing_key& get();

private:
    storage::record_store& store_;
    std::once_flag loaded_;
    std::optional<signing_key> key_;
};

}  // namespace cogsync::api::identity
