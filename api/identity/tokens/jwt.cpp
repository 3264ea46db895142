#include "api/identity/tokens/jwt.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <stdexcept>

#include "api/base64url.hpp"

namespace cogsync::api::identity {
namespace {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

void text(writer& w, const char* name, const std::string& value) {
    w.Key(name);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string text_of(const rapidjson::StringBuffer& buf) { return {buf.GetString(), buf.GetSize()}; }

std::string rs256(const std::string& input, EVP_PKEY* key) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    size_t size = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
        throw std::runtime_error("OpenSSL could not start an RS256 signature");
    std::string sig(size, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
        throw std::runtime_error("OpenSSL could not make an RS256 signature");
    sig.resize(size);
    return sig;
}

}  // namespace

std::string sign_jwt(const std::string& claims_json, const signing_key& key) {
    rapidjson::StringBuffer header;
    writer w(header);
    w.StartObject();
    text(w, "alg", "RS256");
    text(w, "kid", key.kid());
    text(w, "typ", "JWT");
    w.EndObject();
    std::string input = base64url_encode(text_of(header)) + "." + base64url_encode(claims_json);
    return input + "." + base64url_encode(rs256(input, key.key()));
}

std::string jwks_document(const std::vector<const signing_key*>& keys) {
    rapidjson::StringBuffer buf;
    writer w(buf);
    w.StartObject();
    w.Key("keys");
    w.StartArray();
    for (const auto* key : keys) {
        w.StartObject();
        text(w, "kty", "RSA");
        text(w, "kid", key->kid());
        text(w, "use", "sig");
        text(w, "alg", "RS256");
        text(w, "n", key->n());
        text(w, "e", key->e());
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return text_of(buf);
}

std::string open_id_token_claims_json(const open_id_token_claims& c) {
    rapidjson::StringBuffer buf;
    writer w(buf);
    w.StartObject();
    text(w, "iss", c.issuer);
    text(w, "sub", c.identity_id);
    text(w, "aud", c.identity_pool_id);
    w.Key("amr");
    w.StartArray();
    w.String(c.logins.empty() ? "unauthenticated" : "authenticated");
    for (const auto& login : c.logins) w.String(login.data(), static_cast<rapidjson::SizeType>(login.size()));
    w.EndArray();
    w.Key("iat");
    w.Int64(c.issued_at);
    w.Key("exp");
    w.Int64(c.issued_at + c.duration_seconds);
    w.EndObject();
    return text_of(buf);
}

}  // namespace cogsync::api::identity
