// LastModifiedBy per caller (PROTOCOL.md 5.10).
#include <catch2/catch.hpp>

#include "api/auth/access.hpp"

using namespace cogsync::api;
using namespace cogsync::api::auth;

TEST_CASE("a developer key writes its account id, never its access key", "[access]") {
    key_grant dev{"AKIDEVELOPER0001", "secret", std::nullopt, true, true, {}, "", "", "123456789012"};
    const query_list params{{"IdentityPoolId", "us-east-1:0001"}, {"IdentityId", "us-east-1:0002"}};
    CHECK(principal_name(caller{caller::kind::developer, &dev}, params) == "123456789012");

    key_grant id{"ASIAIDENTITY0001", "secret", std::nullopt, false, false, {}, "us-east-1:0001", "us-east-1:0002", ""};
    CHECK(principal_name(caller{caller::kind::identity, &id}, params) == "us-east-1:0002");
    CHECK(principal_name(caller{}, params) == "us-east-1:0002");
}
