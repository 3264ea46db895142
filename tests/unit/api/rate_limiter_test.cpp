#include <catch2/catch.hpp>

#include "api/rate_limiter.hpp"

using namespace cogsync::api;

TEST_CASE("an identity's bucket is keyed under its pool") {
    const query_list in_one{{"IdentityPoolId", "us-east-1:1"}, {"IdentityId", "us-east-1:a"}};
    const query_list in_two{{"IdentityPoolId", "us-east-1:2"}, {"IdentityId", "us-east-1:a"}};
    CHECK(rate_key(in_one, "AKID") != rate_key(in_two, "AKID"));
    CHECK(rate_key(in_one, "AKID") == rate_key(in_one, "OTHER"));

    const query_list pool_only{{"IdentityPoolId", "us-east-1:1"}};
    CHECK(rate_key(pool_only, "AKID") != rate_key(in_one, "AKID"));
    CHECK(rate_key({}, "AKID") != rate_key({}, "OTHER"));
    // An access key spelled like a pool id does not share the pool's bucket.
    CHECK(rate_key({}, "us-east-1:1") != rate_key(pool_only, "AKID"));
}

TEST_CASE("draining one identity's bucket in one pool leaves the same identity in another pool served") {
    rate_limiter limiter(1.0, 2.0);
    const query_list in_one{{"IdentityPoolId", "us-east-1:1"}, {"IdentityId", "us-east-1:a"}};
    const query_list in_two{{"IdentityPoolId", "us-east-1:2"}, {"IdentityId", "us-east-1:a"}};
    const int64_t now = 1700000000000;
    CHECK(limiter.allow(rate_key(in_one, "AKID"), now));
    CHECK(limiter.allow(rate_key(in_one, "AKID"), now));
    CHECK_FALSE(limiter.allow(rate_key(in_one, "AKID"), now));
    CHECK(limiter.allow(rate_key(in_two, "AKID"), now));
    CHECK(limiter.allow(rate_key(in_one, "AKID"), now + 1000));
}
