// verify_logins: which Logins keys a pool accepts, and that each token verifies against the keys
// configured for its key, offline.
#include <catch2/catch.hpp>

#include "api/api_error.hpp"
#include "api/identity/verify_logins.hpp"
#include "tests/unit/api/identity_test_keys.hpp"

using namespace cogsync::api::identity;
using cogsync::api::api_error;
using cogsync::testing::provider_key;

namespace {

constexpr int64_t now = 1750000000;
const std::string user_pool = "cognito-idp.eu-west-3.amazonaws.com/eu-west-3_Pool1";

cogsync::storage::identity_pool pool_with(std::string description) {
    cogsync::storage::identity_pool p;
    p.id = "eu-west-3:pool";
    p.description = std::move(description);
    return p;
}

const auto pool = pool_with(
    R"({"SupportedLoginProviders":{"accounts.google.com":"g","graph.facebook.com":"fb"},)"
    R"("OpenIdConnectProviderARNs":["arn:aws:iam::123456789012:oidc-provider/login.example.com/oidc"],)"
    R"("CognitoIdentityProviders":[{"ProviderName":")" + user_pool + R"(","ClientId":"client1"}]})");

std::string claims(const std::string& iss, const std::string& sub, const std::string& aud, const std::string& extra = "") {
    return "{\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"aud\":\"" + aud + "\",\"iat\":" + std::to_string(now) +
           ",\"exp\":" + std::to_string(now + 600) + extra + "}";
}

login_provider provider(const std::string& key, const std::string& iss, const provider_key& k) {
    auto made = make_login_provider(key, iss, {}, "{\"keys\":[" + k.jwk() + "]}");
    REQUIRE(std::holds_alternative<login_provider>(made));
    return std::get<login_provider>(std::move(made));
}

rapidjson::Document logins(const std::string& json) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    REQUIRE(d.IsObject());
    return d;
}

std::string refusal(const std::vector<login_provider>* providers, const std::string& json) {
    try {
        verify_logins(pool, logins(json), providers, now);
    } catch (const api_error& e) {
        return e.what();
    }
    FAIL("accepted: " << json);
    return "";
}

}  // namespace

TEST_CASE("the pool accepts its login providers, OIDC ARN paths and user pools with their client ids",
          "[identity-logins]") {
    auto accepted = accepted_providers(pool);
    REQUIRE(accepted.size() == 4);
    CHECK(accepted[0].login_key == "accounts.google.com");
    CHECK(accepted[1].login_key == "graph.facebook.com");
    CHECK(accepted[2].login_key == "login.example.com/oidc");
    CHECK(accepted[3].login_key == user_pool);
    CHECK(accepted[3].client_id == "client1");
    CHECK(accepted_providers(pool_with("")).empty());
}

TEST_CASE("verified logins yield (provider, subject) in order", "[identity-logins]") {
    auto google = provider_key::rsa("g1");
    auto oidc = provider_key::ec("o1");
    std::vector<login_provider> providers{provider("accounts.google.com", "https://accounts.google.com", google),
                                          provider("login.example.com/oidc", "https://login.example.com/oidc", oidc)};
    auto doc = logins("{\"accounts.google.com\":\"" + google.sign(claims("https://accounts.google.com", "u1", "g")) +
                      "\",\"login.example.com/oidc\":\"" +
                      oidc.sign(claims("https://login.example.com/oidc", "u2", "any")) + "\"}");
    auto verified = verify_logins(pool, doc, &providers, now);
    REQUIRE(verified.size() == 2);
    CHECK(verified[0].provider == "accounts.google.com");
    CHECK(verified[0].subject == "u1");
    CHECK(verified[1].provider == "login.example.com/oidc");
    CHECK(verified[1].subject == "u2");
}

TEST_CASE("logins are refused for providers the pool does not accept or cogsync cannot verify offline",
          "[identity-logins]") {
    auto google = provider_key::rsa("g1");
    std::vector<login_provider> providers{provider("www.example.org", "https://www.example.org", google)};
    CHECK(refusal(&providers, R"({"www.example.org":"t"})") ==
          "Token is not from a supported provider of this identity pool.");
    CHECK(refusal(&providers, R"({"graph.facebook.com":"opaque"})").find("offline") != std::string::npos);
    CHECK(refusal(nullptr, R"({"accounts.google.com":"t"})").find("[oidc_providers.\"accounts.google.com\"]") !=
          std::string::npos);
}

TEST_CASE("a user pool's ClientId is the aud its tokens must carry", "[identity-logins]") {
    auto key = provider_key::rsa("u1");
    std::vector<login_provider> providers{provider(user_pool, "https://" + user_pool, key)};
    const auto iss = "https://" + user_pool;
    const std::string use = ",\"token_use\":\"id\"";
    CHECK(verify_logins(pool, logins("{\"" + user_pool + "\":\"" + key.sign(claims(iss, "s", "client1", use)) + "\"}"),
                        &providers, now)[0].subject == "s");
    CHECK(refusal(&providers, "{\"" + user_pool + "\":\"" + key.sign(claims(iss, "s", "client2", use)) + "\"}")
              .rfind("Invalid login token. ", 0) == 0);
}
