// SetIdentityPoolRoles' shapes (api/identity/roles_shapes.hpp): what is kept, what is refused and
// how GetIdentityPoolRoles writes it back.
#include <catch2/catch.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include "api/api_error.hpp"
#include "api/identity/roles_shapes.hpp"

using namespace cogsync::api;
using namespace cogsync::api::identity;

namespace {

const std::string arn = "arn:aws:iam::123456789012:role/Auth";

std::string roles_of(const std::string& input) {
    rapidjson::Document d;
    d.Parse(input.c_str());
    REQUIRE(d.IsObject());
    return roles_from_input(d);
}

error_code refusal(const std::string& input) {
    try {
        roles_of(input);
    } catch (const api_error& e) {
        return e.code();
    }
    FAIL("accepted: " << input);
    return error_code::internal_error;
}

std::string written(const std::string& roles) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_roles_members(w, roles);
    w.EndObject();
    return buf.GetString();
}

std::string mapping(const std::string& body) { return R"({"Roles":{},"RoleMappings":{"p":)" + body + "}}"; }

std::string rules(int n) {
    std::string list;
    for (int i = 0; i < n; ++i)
        list += std::string(i ? "," : "") + R"({"Claim":"c","MatchType":"Equals","Value":"v","RoleARN":")" + arn + "\"}";
    return mapping(R"({"Type":"Rules","AmbiguousRoleResolution":"Deny","RulesConfiguration":{"Rules":[)" + list + "]}}");
}

}  // namespace

TEST_CASE("roles are kept as given and written back; never set reads as empty Roles", "[identity-roles]") {
    const auto kept = roles_of(R"({"IdentityPoolId":"x","Roles":{"authenticated":")" + arn + R"("},"RoleMappings":{}})");
    CHECK(kept == R"({"Roles":{"authenticated":")" + arn + R"("}})");
    CHECK(written(kept) == kept);
    CHECK(written("") == R"({"Roles":{}})");
    CHECK(roles_of(rules(25)).find("RoleMappings") != std::string::npos);
    CHECK(roles_of(mapping(R"({"Type":"Token","AmbiguousRoleResolution":"AuthenticatedRole"})")).find("Token") != std::string::npos);
}

TEST_CASE("roles outside the model are refused", "[identity-roles]") {
    CHECK(refusal("{}") == error_code::invalid_parameter);
    CHECK(refusal(R"({"Roles":[]})") == error_code::serialization);
    CHECK(refusal(R"({"Roles":{"admin":")" + arn + "\"}}") == error_code::invalid_parameter);
    CHECK(refusal(R"({"Roles":{"authenticated":"arn:short"}})") == error_code::invalid_parameter);
    CHECK(refusal(R"({"Roles":{"authenticated":7}})") == error_code::serialization);
    CHECK(refusal(mapping(R"({"Type":"Claims","AmbiguousRoleResolution":"Deny"})")) == error_code::invalid_parameter);
    CHECK(refusal(mapping(R"({"Type":"Token"})")) == error_code::invalid_parameter);
    CHECK(refusal(mapping(R"({"Type":"Rules","AmbiguousRoleResolution":"Deny"})")) == error_code::invalid_parameter);
    CHECK(refusal(rules(0)) == error_code::invalid_parameter);
    CHECK(refusal(rules(26)) == error_code::invalid_parameter);
    CHECK(refusal(mapping(R"({"Type":"Rules","AmbiguousRoleResolution":"Deny","RulesConfiguration":{"Rules":[{"Claim":"has space","MatchType":"Equals","Value":"v","RoleARN":")" +
                          arn + "\"}]}}")) == error_code::invalid_parameter);
}
