#include <catch2/catch.hpp>

#include "config/toml_credentials.hpp"
#include "tests/unit/config/toml_tables.hpp"

using namespace cogsync::config;

namespace {

auto read(const std::string& text) {
    return read_toml_tables(text, [](const toml::table& file, std::vector<file_problem>& problems) {
        return credentials_from_toml(*file.get("credentials"), "c.toml", problems);
    });
}

}  // namespace

TEST_CASE("[credentials.KEY] tables hold the credentials file's sections", "[toml-credentials]") {
    auto r = read("[credentials.AKIDEV1]\nsecret = \"s/1+\"\nkind = \"developer\"\npools = [\"us-east-1:a\", \"us-east-1:b\"]\n"
                   "account = \"123456789012\"\n\n"
                   "[credentials.ASIAID1]\nsecret = \"s2\"\nkind = \"identity\"\npool = \"us-east-1:a\"\n"
                   "identity = \"us-east-1:i\"\nsession_token = \"tok\"\n");
    REQUIRE(r.problems.empty());
    REQUIRE(r.value.size() == 2);
    const auto& dev = r.value[0];
    CHECK(dev.access_key == "AKIDEV1");
    CHECK(dev.secret == "s/1+");
    CHECK(dev.pools == std::vector<std::string>{"us-east-1:a", "us-east-1:b"});
    CHECK(dev.account_id == "123456789012");
    const auto& id = r.value[1];
    CHECK(id.kind == credential::kind::identity);
    CHECK(id.identity_id == "us-east-1:i");
    CHECK(id.session_token == std::optional<std::string>("tok"));
    CHECK(read("[credentials.AK]\nsecret = \"x\"\nkind = \"developer\"\npools = \"*\"\n").value.at(0).all_pools);
}

TEST_CASE("the credentials file's rules apply, at the configuration file's lines", "[toml-credentials]") {
    auto unknown = read("max-records = 1\n[credentials.AK1]\nsecret = \"x\"\nkind = \"developer\"\npools = \"*\"\ncolour = \"blue\"\n");
    REQUIRE(unknown.problems.size() == 1);
    CHECK(unknown.problems[0].line == 6);
    CHECK(unknown.problems[0].key == "credentials.AK1");
    CHECK(unknown.problems[0].message == "unknown setting 'colour'");
    CHECK(unknown.value.empty());
    auto no_secret = read("[credentials.AK1]\nsecret = \"x\"\nkind = \"developer\"\npools = \"*\"\n\n[credentials.AK2]\nkind = \"identity\"\n");
    REQUIRE(no_secret.problems.size() == 1);
    CHECK(no_secret.problems[0].line == 6);
    CHECK(no_secret.problems[0].key == "credentials.AK2");
    CHECK_THAT(no_secret.problems[0].message, Catch::Contains("missing 'secret'"));
}

TEST_CASE("values the credentials file could not carry are refused", "[toml-credentials]") {
    for (const char* bad : {"secret = \"a #b\"", "secret = \"a\\nb\"", "secret = 1.5", "pools = [1]"}) {
        auto r = read(std::string("[credentials.AK]\nkind = \"developer\"\n") + bad + "\n");
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].line == 3);
        CHECK_THAT(r.problems[0].key, Catch::StartsWith("credentials.AK."));
    }
    CHECK(read("credentials = 1\n").problems.at(0).message == "expected [credentials.ACCESS_KEY] tables");
    CHECK(read("credentials.AK = 1\n").problems.at(0).key == "credentials.AK");
    for (const char* name : {"\"A\\nK\"", "\"A]K\"", "\"A #K\""}) {
        auto r = read(std::string("\n[credentials.") + name + "]\nsecret = \"x\"\nkind = \"developer\"\npools = \"*\"\n");
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].line == 2);
        CHECK(r.problems[0].message == "expected a name without control characters, '#', '[' or ']'");
    }
    CHECK(read("[credentials]\nAK = { secret = \"x\", kind = \"developer\", pools = \"*\" }\n").problems.at(0).message ==
          "one setting per line");
}
