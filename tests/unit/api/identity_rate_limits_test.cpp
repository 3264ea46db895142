#include <catch2/catch.hpp>

#include "api/api_error.hpp"
#include "api/identity/rate_limits.hpp"
#include "api/json_codec.hpp"

using namespace cogsync::api;

namespace {

constexpr int64_t now = 1700000000000;

request from(std::string address) {
    request r;
    r.client_address = std::move(address);
    return r;
}

bool throttled(const identity_rate_limits& l, std::string_view op, const request& req, const std::string& body) {
    try {
        identity::check_rate(l, op, req, parse_json_object(body), now);
        return false;
    } catch (const api_error& e) {
        CHECK(std::string(e.type_name()) == "TooManyRequestsException");
        CHECK(e.status(service::identity) == 400);
        return true;
    }
}

}  // namespace

TEST_CASE("GetId draws on its client address's bucket and its pool's") {
    rate_limiter per_address(0.001, 2), per_pool(0.001, 2);
    const identity_rate_limits limits{&per_pool, &per_address, nullptr};
    const auto a = from("192.0.2.1"), b = from("192.0.2.2");
    CHECK_FALSE(throttled(limits, "GetId", a, R"({"IdentityPoolId":"us-east-1:p1"})"));
    CHECK_FALSE(throttled(limits, "GetId", a, R"({"IdentityPoolId":"us-east-1:p2"})"));
    CHECK(throttled(limits, "GetId", a, R"({"IdentityPoolId":"us-east-1:p3"})"));  // the address's bucket
    CHECK_FALSE(throttled(limits, "GetId", b, R"({"IdentityPoolId":"us-east-1:p1"})"));
    CHECK(throttled(limits, "GetId", from("192.0.2.3"), R"({"IdentityPoolId":"us-east-1:p1"})"));  // the pool's
}

TEST_CASE("credentials are limited per identity; a name no id can have takes no bucket") {
    rate_limiter per_identity(0.001, 1);
    const identity_rate_limits limits{nullptr, nullptr, &per_identity};
    const auto a = from("192.0.2.1");
    for (const char* op : {"GetCredentialsForIdentity", "GetOpenIdToken"}) {
        const auto body = std::string(R"({"IdentityId":"us-east-1:)") + op + "\"}";
        CHECK_FALSE(throttled(limits, op, a, body));
        CHECK(throttled(limits, op, a, body));
    }
    const std::string too_long = R"({"IdentityId":")" + std::string(56, 'x') + "\"}";
    for (int i = 0; i < 3; ++i) CHECK_FALSE(throttled(limits, "GetCredentialsForIdentity", a, too_long));
    CHECK_FALSE(throttled(limits, "GetCredentialsForIdentity", a, R"({"IdentityId":7})"));
    // Other operations and unset limits pass.
    CHECK_FALSE(throttled(limits, "DescribeIdentity", a, R"({"IdentityId":"us-east-1:GetOpenIdToken"})"));
    CHECK_FALSE(throttled(identity_rate_limits{}, "GetId", a, R"({"IdentityPoolId":"us-east-1:p1"})"));
}
