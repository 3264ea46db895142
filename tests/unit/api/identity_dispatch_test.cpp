// The Cognito Identity endpoint below HTTP (api/identity/dispatch.hpp): X-Amz-Target parsing, the
// JSON 1.1 error shape with Cognito Identity's statuses, access kinds, and the pool and identity
// operations over a real store.
#include <catch2/catch.hpp>

#include "api/api_error.hpp"
#include "api/identity/dispatch.hpp"
#include "tests/unit/api/op_fixture.hpp"

using namespace cogsync;
using namespace cogsync::testing;

namespace {

struct identity_fixture : op_fixture {
    api::response call(const std::optional<std::string>& target, const std::string& body = "{}") {
        api::request req;
        req.method = "POST";
        req.path = "/";
        req.body = body;
        req.request_id = "test";
        req.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
        if (target) req.headers.emplace_back("X-Amz-Target", *target);
        return api::run_to_answer(req, ctx);
    }
    api::response op(const std::string& name, const std::string& body = "{}") {
        return call("AWSCognitoIdentityService." + name, body);
    }
    std::string create_pool(bool unauthenticated = true, const std::string& extra = "") {
        auto r = op("CreateIdentityPool", R"({"IdentityPoolName":"pool one","AllowUnauthenticatedIdentities":)" +
                                              std::string(unauthenticated ? "true" : "false") + extra + "}");
        REQUIRE(r.status == 200);
        return json(r)["IdentityPoolId"].GetString();
    }
};

std::string header(const api::response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return "";
}

void check_error(const api::response& r, unsigned status, const std::string& type) {
    INFO(r.body);
    CHECK(r.status == status);
    CHECK(header(r, "x-amzn-ErrorType") == type);
    CHECK(header(r, "Content-Type") == "application/x-amz-json-1.1");
    auto d = op_fixture::json(r);
    REQUIRE(d.IsObject());
    CHECK(std::string(d["__type"].GetString()) == type);
    CHECK(d["message"].IsString());
}

}  // namespace

TEST_CASE("a target outside AWSCognitoIdentityService is a 400 UnknownOperationException, none a 404", "[identity]") {
    CHECK(&api::identity::match_target("AWSCognitoIdentityService.GetId") != nullptr);
    CHECK(std::string(api::identity::match_target("AWSCognitoIdentityService.GetId").operation) == "GetId");
    for (auto bad : {"", "AWSCognitoIdentityService.", "AWSCognitoIdentityService.Nope", "DynamoDB_20120810.ListTables",
                     "awscognitoidentityservice.GetId", "AWSCognitoIdentityServiceGetId"})
        CHECK_THROWS_MATCHES(api::identity::match_target(std::string_view(bad)), api::api_error,
                             Catch::Predicate<api::api_error>(
                                 [](const api::api_error& e) { return e.code() == api::error_code::unknown_operation; }));
    identity_fixture f;
    auto untargeted = f.call(std::nullopt);
    CHECK(untargeted.status == 404);
    CHECK(header(untargeted, "x-amzn-ErrorType") == "UnknownOperationException");
    check_error(f.call("DynamoDB_20120810.ListTables"), 400, "UnknownOperationException");
    check_error(f.op("TagResource"), 400, "UnknownOperationException");
}

TEST_CASE("a Cognito Identity request is counted under its operation's series", "[identity]") {
    identity_fixture f;
    api::request req;
    req.method = "POST";
    req.path = "/";
    req.request_id = "test";
    req.headers.emplace_back("X-Amz-Target", "AWSCognitoIdentityService.ListIdentityPools");
    req.body = R"({"MaxResults":5})";
    CHECK(api::run_to_answer(req, f.ctx).status == 200);
    const auto& listed = api::identity::match_target("AWSCognitoIdentityService.ListIdentityPools");
    CHECK(req.operation == api::metrics::route_series(listed));
    api::metrics m;
    m.observe(req.operation, 200, std::chrono::milliseconds(1));
    CHECK_THAT(m.scrape(f.store).body,
               Catch::Contains("cogsync_requests_total{operation=\"ListIdentityPools\",status=\"200\"} 1"));
}

TEST_CASE("Cognito Identity errors take that service's statuses; Cognito Sync keeps its own", "[identity]") {
    using api::error_code;
    using api::service;
    CHECK(api::error_status(error_code::not_authorized, service::identity) == 400);
    CHECK(api::error_status(error_code::resource_not_found, service::identity) == 400);
    CHECK(api::error_status(error_code::too_many_requests, service::identity) == 400);
    CHECK(api::error_status(error_code::resource_conflict, service::identity) == 400);
    CHECK(api::error_status(error_code::internal_error, service::identity) == 500);
    CHECK(api::error_status(error_code::invalid_signature, service::identity) == 403);
    CHECK(api::error_status(error_code::not_authorized, service::sync) == 403);
    CHECK(api::error_status(error_code::resource_not_found, service::sync) == 404);
    identity_fixture f;
    check_error(f.op("DescribeIdentityPool", R"({"IdentityPoolId":"us-east-1:00000000-0000-4000-8000-000000000000"})"),
                400, "ResourceNotFoundException");
    check_error(f.op("DescribeIdentityPool", "[1]"), 400, "SerializationException");
    auto sync_side = f.send("GET", "/identitypools/us-east-1:0000/nothing-here");
    CHECK(sync_side.status == 404);
    CHECK(header(sync_side, "Content-Type") == "application/json");
}

TEST_CASE("inputs are checked against the model's patterns and lengths, naming the member", "[identity]") {
    identity_fixture f;
    auto invalid = [&](const std::string& name, const std::string& body, const std::string& member) {
        auto r = f.op(name, body);
        check_error(r, 400, "InvalidParameterException");
        CHECK_THAT(r.body, Catch::Contains(member));
    };
    invalid("CreateIdentityPool", R"({"IdentityPoolName":"bad/name","AllowUnauthenticatedIdentities":true})", "IdentityPoolName");
    invalid("CreateIdentityPool", R"({"AllowUnauthenticatedIdentities":true})", "IdentityPoolName");
    invalid("CreateIdentityPool", R"({"IdentityPoolName":"p"})", "AllowUnauthenticatedIdentities");
    invalid("CreateIdentityPool", R"({"IdentityPoolName":"p","AllowUnauthenticatedIdentities":true,"DeveloperProviderName":"a b"})",
            "DeveloperProviderName");
    invalid("CreateIdentityPool", R"({"IdentityPoolName":"p","AllowUnauthenticatedIdentities":true,"OpenIdConnectProviderARNs":["short"]})",
            "OpenIdConnectProviderARNs");
    invalid("GetId", R"({"IdentityPoolId":"no-colon"})", "IdentityPoolId");
    invalid("GetId", R"({"IdentityPoolId":"us-east-1:0a","AccountId":"12ab"})", "AccountId");
    invalid("ListIdentityPools", R"({"MaxResults":61})", "MaxResults");
    invalid("ListIdentityPools", R"({"MaxResults":0})", "MaxResults");
    invalid("ListIdentityPools", "{}", "MaxResults");
    invalid("DeleteIdentities", R"({"IdentityIdsToDelete":[]})", "IdentityIdsToDelete");
    check_error(f.op("CreateIdentityPool", R"({"IdentityPoolName":"p","AllowUnauthenticatedIdentities":"yes"})"), 400,
                "SerializationException");
}

TEST_CASE("pools are created in the server's region, described, replaced whole, listed and deleted", "[identity]") {
    identity_fixture f;
    f.ctx.region = "eu-west-3";
    const auto id = f.create_pool(true, R"(,"SupportedLoginProviders":{"accounts.google.com":"client.apps"},"IdentityPoolTags":{"team":"a"})");
    CHECK(id.starts_with("eu-west-3:"));
    CHECK(id.size() == std::string("eu-west-3:").size() + 36);
    CHECK(id[std::string("eu-west-3:").size() + 14] == '4');
    auto described = op_fixture::json(f.op("DescribeIdentityPool", R"({"IdentityPoolId":")" + id + "\"}"));
    CHECK(std::string(described["SupportedLoginProviders"]["accounts.google.com"].GetString()) == "client.apps");
    CHECK(std::string(described["IdentityPoolTags"]["team"].GetString()) == "a");
    auto updated = f.op("UpdateIdentityPool",
                        R"({"IdentityPoolId":")" + id + R"(","IdentityPoolName":"renamed","AllowUnauthenticatedIdentities":false})");
    REQUIRE(updated.status == 200);
    described = op_fixture::json(f.op("DescribeIdentityPool", R"({"IdentityPoolId":")" + id + "\"}"));
    CHECK(std::string(described["IdentityPoolName"].GetString()) == "renamed");
    CHECK_FALSE(described["AllowUnauthenticatedIdentities"].GetBool());
    CHECK_FALSE(described.HasMember("SupportedLoginProviders"));
    const auto second = f.create_pool();
    auto page = op_fixture::json(f.op("ListIdentityPools", R"({"MaxResults":1})"));
    REQUIRE(page["IdentityPools"].Size() == 1);
    REQUIRE(page.HasMember("NextToken"));
    auto rest = op_fixture::json(f.op("ListIdentityPools", R"({"MaxResults":60,"NextToken":")" +
                                                                std::string(page["NextToken"].GetString()) + "\"}"));
    REQUIRE(rest["IdentityPools"].Size() == 1);
    CHECK_FALSE(rest.HasMember("NextToken"));
    CHECK(f.op("DeleteIdentityPool", R"({"IdentityPoolId":")" + id + "\"}").status == 200);
    check_error(f.op("DeleteIdentityPool", R"({"IdentityPoolId":")" + id + "\"}"), 400, "ResourceNotFoundException");
    CHECK(op_fixture::json(f.op("ListIdentityPools", R"({"MaxResults":60})"))["IdentityPools"].Size() == 1);
}

TEST_CASE("a developer provider name is unique among pools and cannot change once set", "[identity]") {
    identity_fixture f;
    const auto id = f.create_pool(true, R"(,"DeveloperProviderName":"login.dev")");
    check_error(f.op("CreateIdentityPool", R"({"IdentityPoolName":"p","AllowUnauthenticatedIdentities":true,"DeveloperProviderName":"login.dev"})"),
                400, "ResourceConflictException");
    check_error(f.op("UpdateIdentityPool", R"({"IdentityPoolId":")" + id +
                                               R"(","IdentityPoolName":"p","AllowUnauthenticatedIdentities":true,"DeveloperProviderName":"other"})"),
                400, "InvalidParameterException");
}

TEST_CASE("GetId makes one unauthenticated identity per call where the pool allows it", "[identity]") {
    identity_fixture f;
    const auto open_pool = f.create_pool(true);
    const auto closed_pool = f.create_pool(false);
    auto get_id = [&](const std::string& pool, const std::string& extra = "") {
        return f.op("GetId", R"({"IdentityPoolId":")" + pool + "\"" + extra + "}");
    };
    const std::string first = op_fixture::json(get_id(open_pool, R"(,"AccountId":"123456789012")"))["IdentityId"].GetString();
    const std::string second = op_fixture::json(get_id(open_pool))["IdentityId"].GetString();
    CHECK(first != second);
    auto refused = get_id(closed_pool);
    check_error(refused, 400, "NotAuthorizedException");
    CHECK_THAT(refused.body, Catch::Contains("Unauthenticated access is not supported for this identity pool."));
    check_error(get_id("us-east-1:00000000-0000-4000-8000-000000000000"), 400, "ResourceNotFoundException");
    auto logins = get_id(open_pool, R"(,"Logins":{"accounts.google.com":"token"})");
    check_error(logins, 400, "NotAuthorizedException");
    CHECK_THAT(logins.body, Catch::Contains("Token is not from a supported provider of this identity pool."));

    auto described = op_fixture::json(f.op("DescribeIdentity", R"({"IdentityId":")" + std::string(first) + "\"}"));
    CHECK(described["Logins"].Size() == 0);
    CHECK(described["CreationDate"].IsNumber());
    CHECK(described["CreationDate"].GetDouble() == Approx(f.now / 1000.0));
    auto listed = op_fixture::json(f.op("ListIdentities", R"({"IdentityPoolId":")" + open_pool + R"(","MaxResults":1})"));
    CHECK(listed["Identities"].Size() == 1);
    CHECK(listed.HasMember("NextToken"));
    auto deleted = op_fixture::json(f.op("DeleteIdentities", R"({"IdentityIdsToDelete":[")" + std::string(first) +
                                                                   R"(","us-east-1:0000dead"]})"));
    REQUIRE(deleted["UnprocessedIdentityIds"].Size() == 1);
    CHECK(std::string(deleted["UnprocessedIdentityIds"][0]["IdentityId"].GetString()) == "us-east-1:0000dead");
    CHECK(std::string(deleted["UnprocessedIdentityIds"][0]["ErrorCode"].GetString()) == "AccessDenied");
    check_error(f.op("DescribeIdentity", R"({"IdentityId":")" + std::string(first) + "\"}"), 400, "ResourceNotFoundException");
}

TEST_CASE("with keys, developer operations need a signature and unauthenticated ones do not", "[identity]") {
    identity_fixture f;
    const auto pool = f.create_pool(true);
    api::auth::authenticator keys({{"AKIDEVELOPER0001", "secret", std::nullopt, true, true, {}, "", "", "123456789012"}});
    f.ctx.auth = &keys;
    check_error(f.op("DescribeIdentityPool", R"({"IdentityPoolId":")" + pool + "\"}"), 403,
                "MissingAuthenticationTokenException");
    check_error(f.op("CreateIdentityPool", R"({"IdentityPoolName":"p","AllowUnauthenticatedIdentities":true})"), 403,
                "MissingAuthenticationTokenException");
    CHECK(f.op("GetId", R"({"IdentityPoolId":")" + pool + "\"}").status == 200);
}

TEST_CASE("a developer key limited to some pools acts on those only and creates none", "[identity]") {
    const api::auth::key_grant limited{"AKIDEVELOPER0002", "secret", std::nullopt, true, false, {"r:1"}, "", "", "1"};
    const api::auth::key_grant every{"AKIDEVELOPER0003", "secret", std::nullopt, true, true, {}, "", "", "1"};
    const api::request req;
    const rapidjson::Document input;
    const api::identity::identity_call mine{req, input, {api::auth::caller::kind::developer, &limited}};
    CHECK_NOTHROW(mine.check_pool("r:1"));
    CHECK_THROWS_AS(mine.check_pool("r:2"), api::api_error);
    CHECK_THROWS_AS(mine.check_all_pools(), api::api_error);
    const api::identity::identity_call all{req, input, {api::auth::caller::kind::developer, &every}};
    CHECK_NOTHROW(all.check_pool("r:2"));
    CHECK_NOTHROW(all.check_all_pools());
    const api::identity::identity_call open{req, input, {}};
    CHECK_NOTHROW(open.check_all_pools());
}
