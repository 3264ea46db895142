// The identity-proof rule of GetCredentialsForIdentity and GetOpenIdToken
// (api/identity/identity_proof.hpp) and the verifier of cogsync's own tokens sent back as
// cognito-identity.amazonaws.com logins (api/identity/tokens/own_tokens.hpp), over a real store.
#include <catch2/catch.hpp>

#include "api/identity/tokens/jwt.hpp"
#include "api/identity/tokens/own_tokens.hpp"
#include "tests/unit/api/op_fixture.hpp"

using namespace cogsync;
using namespace cogsync::api::identity;
using namespace cogsync::testing;

namespace {

constexpr const char* issuer = "https://sync.example.com";

struct tokens_fixture : op_fixture {
    std::string dev_pool, open_pool;

    tokens_fixture() {
        ctx.token_issuer = issuer;
        dev_pool = pool_of(R"({"IdentityPoolName":"dev","AllowUnauthenticatedIdentities":false,"DeveloperProviderName":"login.example"})");
        open_pool = pool_of(R"({"IdentityPoolName":"open","AllowUnauthenticatedIdentities":true})");
    }
    std::string pool_of(const std::string& body) {
        auto r = identity_op("CreateIdentityPool", body);
        REQUIRE(r.status == 200);
        return json(r)["IdentityPoolId"].GetString();
    }
    // {IdentityId, Token} of GetOpenIdTokenForDeveloperIdentity for `user` of dev_pool.
    std::pair<std::string, std::string> developer_token(const std::string& user) {
        auto r = identity_op("GetOpenIdTokenForDeveloperIdentity",
                             R"({"IdentityPoolId":")" + dev_pool + R"(","Logins":{"login.example":")" + user + "\"}}");
        REQUIRE(r.status == 200);
        auto d = json(r);
        return {d["IdentityId"].GetString(), d["Token"].GetString()};
    }
    api::response as_identity(const std::string& op, const std::string& id, const std::string& logins = "") {
        return identity_op(op, R"({"IdentityId":")" + id + "\"" + (logins.empty() ? "" : R"(,"Logins":)" + logins) + "}");
    }
    static std::string own_login(const std::string& token) { return R"({"cognito-identity.amazonaws.com":")" + token + "\"}"; }
};

}  // namespace

TEST_CASE("own tokens verify for their pool only, until they expire, untampered", "[identity-tokens]") {
    const auto key = signing_key::generate();
    const int64_t iat = 1750000000;
    auto token = sign_jwt(open_id_token_claims_json({issuer, "us-east-1:id", "us-east-1:pool", {"login.example"}, iat, 900}), key);
    auto mine = own_token_provider(key, issuer, "us-east-1:pool");
    CHECK(mine.login_key == "cognito-identity.amazonaws.com");
    CHECK(verify_login_token(token, mine, iat + 899).subject == "us-east-1:id");
    CHECK(verify_login_token(token, own_token_provider(key, issuer, "us-east-1:other"), iat).failure == login_failure::wrong_audience);
    CHECK(verify_login_token(token, own_token_provider(key, "https://elsewhere.example.com", "us-east-1:pool"), iat).failure ==
          login_failure::wrong_issuer);
    CHECK(verify_login_token(token, own_token_provider(signing_key::generate(), issuer, "us-east-1:pool"), iat).failure ==
          login_failure::unknown_kid);
    CHECK(verify_login_token(token, mine, iat + 900 + login_clock_skew_seconds).failure == login_failure::expired);
    auto forged = sign_jwt(open_id_token_claims_json({issuer, "us-east-1:other-id", "us-east-1:pool", {}, iat, 900}), key);
    auto tampered = token.substr(0, token.find('.')) + forged.substr(forged.find('.'), forged.rfind('.') - forged.find('.')) +
                    token.substr(token.rfind('.'));
    CHECK(verify_login_token(tampered, mine, iat).failure == login_failure::bad_signature);
}

TEST_CASE("a developer identity acts with its own token, not without it nor with another's", "[identity-tokens]") {
    tokens_fixture f;
    auto [alice, alice_token] = f.developer_token("alice");
    auto [bob, bob_token] = f.developer_token("bob");
    for (const char* op : {"GetCredentialsForIdentity", "GetOpenIdToken"}) {
        INFO(op);
        CHECK(f.as_identity(op, alice, f.own_login(alice_token)).status == 200);
        CHECK(f.as_identity(op, alice, R"({"cognito-identity.cn-north-1.amazonaws.com.cn":")" + alice_token + "\"}").status == 200);
        CHECK(f.error_type(f.as_identity(op, alice, R"({"cognito-identity.example.com":")" + alice_token + "\"}")) ==
              "NotAuthorizedException");
        CHECK(f.error_type(f.as_identity(op, alice)) == "NotAuthorizedException");
        CHECK(f.error_type(f.as_identity(op, alice, f.own_login(bob_token))) == "NotAuthorizedException");
        CHECK(f.error_type(f.as_identity(op, alice, f.own_login("not.a.token"))) == "NotAuthorizedException");
        CHECK(f.error_type(f.as_identity(op, "us-east-1:00000000-0000-4000-8000-000000000000")) ==
              "ResourceNotFoundException");
    }
    f.now += (open_id_token_seconds + 900 + login_clock_skew_seconds) * 1000;
    CHECK(f.error_type(f.as_identity("GetCredentialsForIdentity", alice, f.own_login(alice_token))) == "NotAuthorizedException");
}

TEST_CASE("GetOpenIdToken for an unauthenticated identity, as its pool allows", "[identity-tokens]") {
    tokens_fixture f;
    const std::string id = f.json(f.identity_op("GetId", R"({"IdentityPoolId":")" + f.open_pool + "\"}"))["IdentityId"].GetString();
    auto r = f.as_identity("GetOpenIdToken", id);
    REQUIRE(r.status == 200);
    const std::string token = f.json(r)["Token"].GetString();
    auto mine = own_token_provider(load_or_create_signing_key(f.store), issuer, f.open_pool);
    CHECK(verify_login_token(token, mine, f.now / 1000 + open_id_token_seconds - 1).subject == id);
    CHECK(verify_login_token(token, mine, f.now / 1000 + open_id_token_seconds + login_clock_skew_seconds).failure ==
          login_failure::expired);
    REQUIRE(f.identity_op("UpdateIdentityPool", R"({"IdentityPoolId":")" + f.open_pool +
                                                    R"(","IdentityPoolName":"open","AllowUnauthenticatedIdentities":false})")
                .status == 200);
    CHECK(f.error_type(f.as_identity("GetOpenIdToken", id)) == "NotAuthorizedException");
    CHECK(f.error_type(f.as_identity("GetCredentialsForIdentity", id)) == "NotAuthorizedException");
    CHECK(f.error_type(f.as_identity("GetOpenIdToken", id, f.own_login(token))) == "NotAuthorizedException");
}
