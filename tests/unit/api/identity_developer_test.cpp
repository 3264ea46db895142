// Developer identities (GetOpenIdTokenForDeveloperIdentity, LookupDeveloperIdentity,
// UnlinkDeveloperIdentity) over a real store: one identity per developer user, linking rules, and
// the token verified with the node's key through the token layer.
#include <catch2/catch.hpp>

#include "api/api_error.hpp"
#include "api/identity/dispatch.hpp"
#include "api/identity/tokens/jwt.hpp"
#include "api/identity/tokens/verify_login_token.hpp"
#include "tests/unit/api/op_fixture.hpp"

using namespace cogsync;
using namespace cogsync::testing;

namespace {

struct developer_fixture : op_fixture {
    std::string pool;

    developer_fixture() {
        ctx.token_issuer = "https://sync.example.com";
        auto r = op("CreateIdentityPool",
                    R"({"IdentityPoolName":"dev","AllowUnauthenticatedIdentities":true,"DeveloperProviderName":"login.example"})");
        REQUIRE(r.status == 200);
        pool = json(r)["IdentityPoolId"].GetString();
    }
    api::response op(const std::string& name, const std::string& body) { return identity_op(name, body); }
    api::response token_for(const std::string& user, const std::string& extra = "") {
        return op("GetOpenIdTokenForDeveloperIdentity",
                  R"({"IdentityPoolId":")" + pool + R"(","Logins":{"login.example":")" + user + "\"}" + extra + "}");
    }
    std::string id_of(const std::string& user) {
        auto r = token_for(user);
        INFO(r.body);
        REQUIRE(r.status == 200);
        return json(r)["IdentityId"].GetString();
    }
    std::string error_of(const api::response& r) {
        INFO(r.body);
        CHECK(r.status == 400);
        return json(r)["__type"].GetString();
    }
};

}  // namespace

TEST_CASE("the same developer user always gets the same identity, another user another one", "[identity-dev]") {
    developer_fixture f;
    auto alice = f.id_of("alice");
    CHECK(f.id_of("alice") == alice);
    CHECK(f.id_of("bob") != alice);
    auto described = f.json(f.op("DescribeIdentity", R"({"IdentityId":")" + alice + "\"}"));
    REQUIRE(described["Logins"].Size() == 1);
    CHECK(std::string(described["Logins"][0].GetString()) == "login.example");
}

TEST_CASE("the developer token verifies with the node's key and carries AWS's claims", "[identity-dev]") {
    developer_fixture f;
    auto r = f.token_for("alice", R"(,"TokenDuration":3600,"PrincipalTags":{"team":"red"})");
    REQUIRE(r.status == 200);
    auto answer = f.json(r);
    const std::string token = answer["Token"].GetString();
    const auto& key = api::identity::load_or_create_signing_key(f.store);
    auto p = api::identity::make_login_provider("sync.example.com", "https://sync.example.com", {f.pool},
                                                api::identity::jwks_document({&key}));
    REQUIRE(std::holds_alternative<api::identity::login_provider>(p));
    const auto now_s = f.now / 1000;
    auto v = api::identity::verify_login_token(token, std::get<api::identity::login_provider>(p), now_s + 3599);
    INFO(v.message);
    CHECK(v.subject == answer["IdentityId"].GetString());
    CHECK(verify_login_token(token, std::get<api::identity::login_provider>(p),
                             now_s + 3600 + api::identity::login_clock_skew_seconds)
              .failure == api::identity::login_failure::expired);
}

TEST_CASE("linking a developer user to a given identity, and AWS's refusals", "[identity-dev]") {
    developer_fixture f;
    auto unauth = f.json(f.op("GetId", R"({"IdentityPoolId":")" + f.pool + "\"}"));
    const std::string id = unauth["IdentityId"].GetString();
    auto linked = f.token_for("carol", R"(,"IdentityId":")" + id + "\"");
    REQUIRE(linked.status == 200);
    CHECK(std::string(f.json(linked)["IdentityId"].GetString()) == id);
    CHECK(f.id_of("carol") == id);

    auto other = f.id_of("dave");
    CHECK(f.error_of(f.token_for("carol", R"(,"IdentityId":")" + other + "\"")) == "DeveloperUserAlreadyRegisteredException");
    CHECK(f.error_of(f.op("GetOpenIdTokenForDeveloperIdentity",
                          R"({"IdentityPoolId":")" + f.pool + R"(","Logins":{"other.example":"carol"}})")) ==
          "NotAuthorizedException");
    CHECK(f.error_of(f.token_for("carol", R"(,"TokenDuration":86401)")) == "InvalidParameterException");
    CHECK(f.error_of(f.token_for("carol", R"(,"TokenDuration":0)")) == "InvalidParameterException");
    CHECK(f.error_of(f.op("GetOpenIdTokenForDeveloperIdentity", R"({"IdentityPoolId":")" + f.pool + "\"}")) ==
          "InvalidParameterException");
    CHECK(f.error_of(f.token_for(std::string(1025, 'u'))) == "InvalidParameterException");
}

TEST_CASE("lookup by user, by identity with pages, both; unlink makes the user new again", "[identity-dev]") {
    developer_fixture f;
    auto id = f.id_of("u1");
    for (auto u : {"u2", "u3"})
        REQUIRE(f.token_for(u, R"(,"IdentityId":")" + id + "\"").status == 200);
    auto by_user = f.json(f.op("LookupDeveloperIdentity",
                               R"({"IdentityPoolId":")" + f.pool + R"(","DeveloperUserIdentifier":"u2"})"));
    CHECK(std::string(by_user["IdentityId"].GetString()) == id);

    const auto by_id = R"({"IdentityPoolId":")" + f.pool + R"(","IdentityId":")" + id + R"(","MaxResults":2)";
    auto page1 = f.json(f.op("LookupDeveloperIdentity", by_id + "}"));
    REQUIRE(page1["DeveloperUserIdentifierList"].Size() == 2);
    CHECK(std::string(page1["DeveloperUserIdentifierList"][1].GetString()) == "u2");
    auto page2 = f.json(f.op("LookupDeveloperIdentity",
                             by_id + R"(,"NextToken":")" + page1["NextToken"].GetString() + "\"}"));
    REQUIRE(page2["DeveloperUserIdentifierList"].Size() == 1);
    CHECK(std::string(page2["DeveloperUserIdentifierList"][0].GetString()) == "u3");
    CHECK_FALSE(page2.HasMember("NextToken"));

    auto other = f.id_of("x");
    CHECK(f.error_of(f.op("LookupDeveloperIdentity", R"({"IdentityPoolId":")" + f.pool + R"(","IdentityId":")" + other +
                                                          R"(","DeveloperUserIdentifier":"u1"})")) ==
          "ResourceConflictException");
    CHECK(f.error_of(f.op("LookupDeveloperIdentity", R"({"IdentityPoolId":")" + f.pool + "\"}")) ==
          "InvalidParameterException");

    const auto unlink = R"({"IdentityPoolId":")" + f.pool + R"(","IdentityId":")" + id +
                        R"(","DeveloperProviderName":"login.example","DeveloperUserIdentifier":"u1"})";
    REQUIRE(f.op("UnlinkDeveloperIdentity", unlink).status == 200);
    CHECK(f.error_of(f.op("UnlinkDeveloperIdentity", unlink)) == "ResourceNotFoundException");
    CHECK(f.id_of("u1") != id);
    CHECK(f.id_of("u2") == id);
}
