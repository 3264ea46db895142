#include <catch2/catch.hpp>

#include "server/login_providers.hpp"
#include "tests/unit/api/identity_test_keys.hpp"

using namespace cogsync;

TEST_CASE("configured providers become verifiers; an unusable key names the provider and its file", "[login-providers]") {
    auto key = testing::provider_key::ec("e1");
    std::string jwks = "{\"keys\":[" + key.jwk() + "]}";
    std::vector<config::oidc_provider> configured{
        {"idp.example.com", "https://idp.example.com", {"app"}, jwks, "/etc/cogsync/idp.json"}};
    auto providers = server::load_login_providers(configured);
    REQUIRE(providers.size() == 1);
    auto token = key.sign("{\"iss\":\"https://idp.example.com\",\"sub\":\"u1\",\"aud\":\"app\",\"exp\":1750000600}");
    CHECK(api::identity::verify_login_token(token, providers[0], 1750000000).subject == "u1");

    auto small = testing::provider_key::rsa("r", 1024);
    configured.push_back({"weak.example.com", "https://weak.example.com", {}, "{\"keys\":[" + small.jwk() + "]}", ""});
    CHECK_THROWS_WITH(server::load_login_providers(configured),
                      "provider weak.example.com: JWKS key 1: RSA key shorter than 2048 bits (inline jwks)");
    configured.back().jwks_file = "/etc/cogsync/weak.json";
    CHECK_THROWS_WITH(server::load_login_providers(configured),
                      "provider weak.example.com: JWKS key 1: RSA key shorter than 2048 bits (/etc/cogsync/weak.json)");
}
