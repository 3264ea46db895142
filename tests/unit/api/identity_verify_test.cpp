// verify_login_token: OpenID Connect id tokens checked offline against configured keys.
#include <catch2/catch.hpp>

#include "api/auth/crypto.hpp"
#include "api/identity/tokens/verify_login_token.hpp"
#include "tests/unit/api/identity_test_keys.hpp"

using namespace cogsync::api::identity;
using cogsync::testing::provider_key;

namespace {

constexpr int64_t now = 1750000000;
const std::string issuer = "https://login.example.com";

std::string claims(const std::string& extra = "", int64_t exp = now + 600) {
    return "{\"iss\":\"" + issuer + "\",\"sub\":\"user-1\",\"aud\":\"app-1\",\"iat\":" + std::to_string(now) +
           ",\"exp\":" + std::to_string(exp) + extra + "}";
}

login_provider provider_of(const std::string& jwks, std::string iss = issuer, std::vector<std::string> clients = {"app-1"}) {
    auto made = make_login_provider("login.example.com", std::move(iss), std::move(clients), jwks);
    REQUIRE(std::holds_alternative<login_provider>(made));
    return std::get<login_provider>(std::move(made));
}

login_failure failure_of(const std::string& token, const login_provider& p) {
    auto v = verify_login_token(token, p, now);
    REQUIRE_FALSE(v.ok());
    INFO(v.message);
    CHECK(v.subject.empty());
    return v.failure;
}

// The token with its claims replaced, the signature kept.
std::string with_claims(const std::string& token, const std::string& claims) {
    size_t first = token.find('.'), second = token.rfind('.');
    return token.substr(0, first + 1) + cogsync::api::base64url_encode(claims) + token.substr(second);
}

// The token with one character of its signature changed.
std::string with_bad_signature(std::string token) {
    size_t at = token.rfind('.') + 5;
    token[at] = token[at] == 'A' ? 'B' : 'A';
    return token;
}

}  // namespace

TEST_CASE("RS256 and ES256 tokens of the configured keys verify and yield sub", "[identity-tokens]") {
    auto rsa = provider_key::rsa("r1");
    auto ec = provider_key::ec("e1");
    auto p = provider_of("{\"keys\":[" + rsa.jwk() + "," + ec.jwk() + "]}");
    for (const auto* key : {&rsa, &ec}) {
        auto v = verify_login_token(key->sign(claims()), p, now);
        INFO(key->alg << ": " << v.message);
        REQUIRE(v.ok());
        CHECK(v.subject == "user-1");
    }
}

TEST_CASE("each broken token fails with its own reason", "[identity-tokens]") {
    auto key = provider_key::rsa("r1");
    auto p = provider_of("{\"keys\":[" + key.jwk() + "]}");
    auto good = key.sign(claims());
    REQUIRE(verify_login_token(good, p, now).ok());

    CHECK(failure_of(key.sign(claims("", now - login_clock_skew_seconds - 1)), p) == login_failure::expired);
    CHECK(verify_login_token(key.sign(claims("", now - login_clock_skew_seconds + 5)), p, now).ok());
    CHECK(failure_of(key.sign(claims(",\"nbf\":" + std::to_string(now + 3600))), p) == login_failure::not_yet_valid);
    CHECK(failure_of(key.sign("{\"iss\":\"https://evil.example.com\",\"sub\":\"u\",\"aud\":\"app-1\",\"exp\":" +
                              std::to_string(now + 60) + "}"),
                     p) == login_failure::wrong_issuer);
    CHECK(failure_of(key.sign("{\"iss\":\"" + issuer + "\",\"sub\":\"u\",\"aud\":\"app-2\",\"exp\":" + std::to_string(now + 60) + "}"), p) ==
          login_failure::wrong_audience);
    CHECK(failure_of(with_claims(good, claims(",\"admin\":true")), p) == login_failure::bad_signature);
    CHECK(failure_of(with_bad_signature(good), p) == login_failure::bad_signature);
    CHECK(failure_of(key.sign("{\"alg\":\"RS256\",\"kid\":\"other\"}", claims()), p) == login_failure::unknown_kid);
    CHECK(failure_of("e30.e30.AAA$", p) == login_failure::malformed);
    CHECK(failure_of("only.two", p) == login_failure::malformed);
    CHECK(failure_of(key.sign(claims()) + ".x", p) == login_failure::malformed);
}

TEST_CASE("alg none and HS256 keyed with the public key are refused", "[identity-tokens]") {
    auto key = provider_key::rsa("r1");
    std::string jwk = key.jwk();
    auto p = provider_of("{\"keys\":[" + jwk + "]}");
    using cogsync::api::base64url_encode;
    std::string body = base64url_encode(claims());
    std::string none = base64url_encode("{\"alg\":\"none\",\"kid\":\"r1\"}") + "." + body + ".";
    CHECK(failure_of(none, p) == login_failure::unsupported_alg);
    // The classic confusion attack: an HMAC whose secret is the verifier's public key.
    std::string input = base64url_encode("{\"alg\":\"HS256\",\"kid\":\"r1\"}") + "." + body;
    std::string forged = input + "." + base64url_encode(cogsync::api::auth::hmac_sha256(jwk, input));
    CHECK(failure_of(forged, p) == login_failure::unsupported_alg);
    // Critical header extensions are not understood, so the token is refused (RFC 7515 4.1.11).
    CHECK(failure_of(key.sign("{\"alg\":\"RS256\",\"kid\":\"r1\",\"b64\":false,\"crit\":[\"b64\"]}", claims()), p) ==
          login_failure::unsupported_alg);
    // An ES256 header over an RSA key's kid is refused too.
    CHECK(failure_of(key.sign("{\"alg\":\"ES256\",\"kid\":\"r1\"}", claims()), p) == login_failure::unsupported_alg);
}

TEST_CASE("a token without kid uses the only key, and is refused when there are several", "[identity-tokens]") {
    auto a = provider_key::ec("a");
    auto b = provider_key::ec("b");
    auto token = a.sign("{\"alg\":\"ES256\"}", claims());
    CHECK(verify_login_token(token, provider_of("{\"keys\":[" + a.jwk() + "]}"), now).ok());
    CHECK(failure_of(token, provider_of("{\"keys\":[" + a.jwk() + "," + b.jwk() + "]}")) == login_failure::unknown_kid);
    CHECK(failure_of(token, provider_of("{\"keys\":[" + b.jwk() + "]}")) == login_failure::bad_signature);
}

TEST_CASE("a provider without keys says it does not fetch them", "[identity-tokens]") {
    auto key = provider_key::rsa("r1");
    auto v = verify_login_token(key.sign(claims()), provider_of("{\"keys\":[]}"), now);
    CHECK(v.failure == login_failure::no_keys);
    CHECK(v.message == "no signing keys configured for provider login.example.com; cogsync does not fetch keys from the internet");
}

TEST_CASE("audience: any when no client ids are configured, a list aud matches one", "[identity-tokens]") {
    auto key = provider_key::rsa("r1");
    std::string jwks = "{\"keys\":[" + key.jwk() + "]}";
    auto listed = key.sign("{\"iss\":\"" + issuer + "\",\"sub\":\"u\",\"aud\":[\"x\",\"app-1\"],\"exp\":" + std::to_string(now + 60) + "}");
    CHECK(verify_login_token(listed, provider_of(jwks), now).ok());
    auto other = key.sign("{\"iss\":\"" + issuer + "\",\"sub\":\"u\",\"aud\":\"zzz\",\"exp\":" + std::to_string(now + 60) + "}");
    CHECK(verify_login_token(other, provider_of(jwks, issuer, {}), now).ok());
}

TEST_CASE("Google's issuer is accepted with and without https://", "[identity-tokens]") {
    auto key = provider_key::rsa("g1");
    auto p = provider_of("{\"keys\":[" + key.jwk() + "]}", "https://accounts.google.com");
    for (std::string iss : {"accounts.google.com", "https://accounts.google.com"})
        CHECK(verify_login_token(key.sign("{\"iss\":\"" + iss + "\",\"sub\":\"g\",\"aud\":\"app-1\",\"exp\":" + std::to_string(now + 60) + "}"),
                                 p, now)
                  .ok());
    // The bare host is a Google quirk, not a rule for every provider.
    auto other = provider_of("{\"keys\":[" + key.jwk() + "]}");
    CHECK(failure_of(key.sign("{\"iss\":\"login.example.com\",\"sub\":\"g\",\"aud\":\"app-1\",\"exp\":" + std::to_string(now + 60) + "}"),
                     other) == login_failure::wrong_issuer);
}

TEST_CASE("Cognito User Pool tokens must be id tokens; access tokens match by client_id but are refused", "[identity-tokens]") {
    const std::string pool_issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC";
    auto key = provider_key::rsa("c1");
    auto p = provider_of("{\"keys\":[" + key.jwk() + "]}", pool_issuer, {"client-9"});
    std::string exp = std::to_string(now + 60);
    auto id = key.sign("{\"iss\":\"" + pool_issuer + "\",\"sub\":\"s\",\"aud\":\"client-9\",\"token_use\":\"id\",\"exp\":" + exp + "}");
    CHECK(verify_login_token(id, p, now).subject == "s");
    auto access = key.sign("{\"iss\":\"" + pool_issuer + "\",\"sub\":\"s\",\"client_id\":\"client-9\",\"token_use\":\"access\",\"exp\":" + exp + "}");
    CHECK(failure_of(access, p) == login_failure::wrong_token_use);
    auto other_client = key.sign("{\"iss\":\"" + pool_issuer + "\",\"sub\":\"s\",\"client_id\":\"client-8\",\"token_use\":\"id\",\"exp\":" + exp + "}");
    CHECK(failure_of(other_client, p) == login_failure::wrong_audience);
}
