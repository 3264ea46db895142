// cogsync's own tokens: the signing key, sign_jwt, jwks_document and the OpenID token claims.
#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "api/base64url.hpp"
#include "api/identity/tokens/jwt.hpp"
#include "api/identity/tokens/verify_login_token.hpp"
#include "tests/unit/api/identity_test_keys.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync::api::identity;

namespace {

const signing_key& node_key() {
    static const signing_key key = signing_key::generate();
    return key;
}

rapidjson::Document json_part(const std::string& token, int part) {
    size_t begin = 0;
    for (int i = 0; i < part; ++i) begin = token.find('.', begin) + 1;
    auto text = cogsync::api::base64url_decode(token.substr(begin, token.find('.', begin) - begin));
    REQUIRE(text);
    rapidjson::Document doc;
    doc.Parse(text->c_str());
    REQUIRE(doc.IsObject());
    return doc;
}

}  // namespace

TEST_CASE("the RSA thumbprint matches RFC 7638's example", "[identity-tokens]") {
    // RFC 7638 section 3.1.
    const std::string n =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-"
        "5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
        "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    CHECK(rsa_thumbprint(n, "AQAB") == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST_CASE("a token cogsync signs verifies with the keys of its JWKS document", "[identity-tokens]") {
    const auto& key = node_key();
    open_id_token_claims c{"https://sync.example.com", "us-east-1:1111", "us-east-1:pool", {"accounts.google.com"}, 1750000000, 900};
    auto token = sign_jwt(open_id_token_claims_json(c), key);

    auto jwks = jwks_document({&key});
    rapidjson::Document doc;
    doc.Parse(jwks.c_str());
    const auto& entry = doc["keys"][0];
    CHECK(std::string(entry["kid"].GetString()) == key.kid());
    CHECK(std::string(entry["use"].GetString()) == "sig");
    CHECK(key.kid() == rsa_thumbprint(entry["n"].GetString(), entry["e"].GetString()));

    auto p = make_login_provider("sync.example.com", "https://sync.example.com", {"us-east-1:pool"}, jwks);
    REQUIRE(std::holds_alternative<login_provider>(p));
    auto v = verify_login_token(token, std::get<login_provider>(p), 1750000000 + 899);
    INFO(v.message);
    CHECK(v.subject == "us-east-1:1111");
    CHECK(verify_login_token(token, std::get<login_provider>(p), 1750000000 + 900 + login_clock_skew_seconds).failure ==
          login_failure::expired);

    auto header = json_part(token, 0);
    CHECK(std::string(header["alg"].GetString()) == "RS256");
    CHECK(std::string(header["kid"].GetString()) == key.kid());
    auto claims = json_part(token, 1);
    CHECK(std::string(claims["iss"].GetString()) == "https://sync.example.com");
    CHECK(std::string(claims["aud"].GetString()) == "us-east-1:pool");
    CHECK(claims["exp"].GetInt64() - claims["iat"].GetInt64() == 900);
    REQUIRE(claims["amr"].Size() == 2);
    CHECK(std::string(claims["amr"][0].GetString()) == "authenticated");
    CHECK(std::string(claims["amr"][1].GetString()) == "accounts.google.com");
}

TEST_CASE("an identity without logins is unauthenticated in amr", "[identity-tokens]") {
    open_id_token_claims c{"http://127.0.0.1:8080", "us-east-1:2222", "us-east-1:pool", {}, 100, open_id_token_seconds};
    rapidjson::Document claims;
    claims.Parse(open_id_token_claims_json(c).c_str());
    REQUIRE(claims["amr"].Size() == 1);
    CHECK(std::string(claims["amr"][0].GetString()) == "unauthenticated");
    CHECK(claims["exp"].GetInt64() == 700);
}

TEST_CASE("the signing key survives PEM and stays the node's across reopening the store", "[identity-tokens]") {
    const auto& key = node_key();
    auto again = signing_key::from_pem(key.pem());
    CHECK(again.kid() == key.kid());
    CHECK_THROWS_AS(signing_key::from_pem("not a key"), std::runtime_error);

    cogsync::storage::testing::temp_dir dir;
    std::string first;
    {
        cogsync::storage::sqlite_store store(cogsync::storage::testing::sqlite_options(dir));
        first = load_or_create_signing_key(store).kid();
        CHECK(load_or_create_signing_key(store).kid() == first);
    }
    cogsync::storage::sqlite_store reopened(cogsync::storage::testing::sqlite_options(dir));
    CHECK(load_or_create_signing_key(reopened).kid() == first);
}

TEST_CASE("the signing key cache serves the stored key from memory, loaded once", "[identity-tokens]") {
    cogsync::storage::testing::temp_dir dir;
    cogsync::storage::sqlite_store store(cogsync::storage::testing::sqlite_options(dir));
    signing_key_cache cache(store);
    const auto& first = cache.get();
    CHECK(first.kid() == load_or_create_signing_key(store).kid());
    CHECK(&cache.get() == &first);
    CHECK(cache.get().key() == first.key());
}

TEST_CASE("JWKS mistakes are named; non-signature keys are skipped", "[identity-tokens]") {
    auto error_of = [](const std::string& json) {
        auto r = parse_jwks(json);
        REQUIRE(std::holds_alternative<std::string>(r));
        return std::get<std::string>(r);
    };
    CHECK(error_of("[]") == "not a JSON object");
    CHECK(error_of("{\"keys\":{}}") == "expected {\"keys\": [...]}");
    CHECK(error_of("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}") == "key 1: unsupported key type \"kty\": 'oct' (RSA or EC)");
    auto small = cogsync::testing::provider_key::rsa("s", 1024);
    CHECK(error_of("{\"keys\":[" + small.jwk() + "]}") == "key 1: RSA key shorter than 2048 bits");
    auto ec = cogsync::testing::provider_key::ec("e");
    std::string mislabelled = ec.jwk();
    mislabelled.replace(mislabelled.find("ES256"), 5, "RS256");
    CHECK(error_of("{\"keys\":[" + mislabelled + "]}") == "key 1: \"alg\" 'RS256' does not fit a EC key (ES256)");
    std::string off_curve = ec.jwk();
    off_curve.replace(off_curve.find("\"y\":\"") + 5, 4, "AAAA");
    CHECK(error_of("{\"keys\":[" + off_curve + "]}") == "key 1: EC key \"x\"/\"y\" is not a point of P-256");

    auto r = parse_jwks("{\"keys\":[{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"}," + ec.jwk() + "]}");
    REQUIRE(std::holds_alternative<std::vector<public_jwk>>(r));
    REQUIRE(std::get<std::vector<public_jwk>>(r).size() == 1);
    CHECK(std::get<std::vector<public_jwk>>(r)[0].kid == "e");
}
