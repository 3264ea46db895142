// [pools."<region>:<uuid>"] tables of the configuration file (config/toml_pools.hpp).
#include <catch2/catch.hpp>

#include <algorithm>

#include "config/toml_pools.hpp"

using namespace cogsync::config;

namespace {

std::vector<declared_pool> read(const std::string& text, std::vector<file_problem>& problems) {
    auto table = toml::parse(text);
    return pools_from_toml(*table.get("pools"), "c.toml", problems);
}

}  // namespace

TEST_CASE("a declared pool is read with every member", "[config][pools]") {
    std::vector<file_problem> problems;
    auto pools = read(R"([pools."us-east-1:0f0f0f0f-1111-4222-8333-444455556666"]
name = "compose"
allow_unauthenticated = true
developer_provider = "login.example"
supported_login_providers = { "accounts.google.com" = "client.apps" }
)",
                      problems);
    CHECK(problems.empty());
    REQUIRE(pools.size() == 1);
    CHECK(pools[0].id == "us-east-1:0f0f0f0f-1111-4222-8333-444455556666");
    CHECK(pools[0].name == "compose");
    CHECK(pools[0].allow_unauthenticated);
    CHECK(pools[0].developer_provider == "login.example");
    CHECK(pools[0].supported_login_providers.at("accounts.google.com") == "client.apps");
}

TEST_CASE("a declared pool's mistakes are named and the pool left out", "[config][pools]") {
    std::vector<file_problem> problems;
    auto pools = read(R"([pools."not a pool id"]
name = "x"
[pools."us-east-1:0f0f0f0f-1111-4222-8333-444455556666"]
allow_unauthenticated = "yes"
colour = "red"
)",
                      problems);
    CHECK(pools.empty());
    REQUIRE(problems.size() == 4);
    std::vector<std::string> keys;
    for (const auto& p : problems) keys.push_back(p.key);
    CHECK(std::count(keys.begin(), keys.end(), "pools.not a pool id") == 1);
    CHECK(std::count(keys.begin(), keys.end(), "pools.us-east-1:0f0f0f0f-1111-4222-8333-444455556666.colour") == 1);
    CHECK(std::count(keys.begin(), keys.end(), "pools.us-east-1:0f0f0f0f-1111-4222-8333-444455556666") == 1);
}
