// The credentials file format documented in config/credentials.hpp.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <fstream>
#include <stdexcept>
#include <string>

#include "config/credentials.hpp"

using namespace cogsync::config;

namespace {

// The runtime_error message parse_credentials throws for `text` (fails the test if none).
std::string error_of(const std::string& text) {
    try {
        parse_credentials(text, "creds.ini");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    FAIL("accepted:\n" << text);
    return {};
}

const std::string good = R"(# cogsync credentials
[AKIDEVELOPER0001]
secret = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
kind = developer
pools = us-east-1:00000000-0000-0000-0000-000000000000, us-east-1:11111111-1111-1111-1111-111111111111   # two pools

[AKIDEVELOPER0002]
kind = developer
secret = s3cr3t#not-a-comment
pools = *
account = 123456789012

[ASIAIDENTITY0001]
secret = abc/def+ghi
kind = identity
pool = us-east-1:00000000-0000-0000-0000-000000000000
identity = us-east-1:22222222-2222-2222-2222-222222222222
session_token = IQoJb3JpZ2luX2VjEXAMPLE//token=
)";

}  // namespace

TEST_CASE("a good file yields each credential in file order", "[credentials]") {
    auto creds = parse_credentials(good, "creds.ini");
    REQUIRE(creds.size() == 3);

    CHECK(creds[0].access_key == "AKIDEVELOPER0001");
    CHECK(creds[0].secret == "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    CHECK(creds[0].kind == credential::kind::developer);
    CHECK_FALSE(creds[0].all_pools);
    CHECK(creds[0].pools == std::vector<std::string>{"us-east-1:00000000-0000-0000-0000-000000000000",
                                                     "us-east-1:11111111-1111-1111-1111-111111111111"});
    CHECK_FALSE(creds[0].session_token);
    CHECK(creds[0].account_id.empty());  // the server's --account-id then

    CHECK(creds[1].secret == "s3cr3t#not-a-comment");
    CHECK(creds[1].all_pools);
    CHECK(creds[1].pools.empty());
    CHECK(creds[1].account_id == "123456789012");

    CHECK(creds[2].kind == credential::kind::identity);
    CHECK(creds[2].identity_pool == "us-east-1:00000000-0000-0000-0000-000000000000");
    CHECK(creds[2].identity_id == "us-east-1:22222222-2222-2222-2222-222222222222");
    CHECK(creds[2].session_token == "IQoJb3JpZ2luX2VjEXAMPLE//token=");
}

TEST_CASE("an empty or comment-only file has no credentials", "[credentials]") {
    CHECK(parse_credentials("", "x").empty());
    CHECK(parse_credentials("# nothing\n\n   # here\n", "x").empty());
}

TEST_CASE("load_credentials_file reads a file and names it in errors", "[credentials]") {
    auto path = (std::filesystem::temp_directory_path() /
                 ("cogsync-creds-" + std::to_string(::getpid()) + ".ini")).string();
    {
        std::ofstream(path) << good;
    }
    CHECK(load_credentials_file(path).size() == 3);
    {
        std::ofstream(path) << "[AKID1]\nsecret = x\nkind = developer\npools = *\ncolour = blue\n";
    }
    CHECK_THROWS_WITH(load_credentials_file(path), path + ":5: unknown setting 'colour'");
    std::remove(path.c_str());
    CHECK_THROWS_WITH(load_credentials_file(path), Catch::Contains("cannot open"));
}

TEST_CASE("every error names the file and line", "[credentials]") {
    const std::string dev = "kind = developer\npools = *\n";
    CHECK(error_of("[AKID1]\nsecret = x\nkind = developer\npools = *\nregion = eu\n") ==
          "creds.ini:5: unknown setting 'region'");
    CHECK(error_of("[AKID1]\n" + dev) == "creds.ini:1: [AKID1] missing 'secret'");
    CHECK(error_of("[AKID1]\nsecret = x\npools = *\n") ==
          "creds.ini:1: [AKID1] missing 'kind' (developer or identity)");
    CHECK(error_of("\n[AKID1]\nsecret = x\n" + dev + "[AKID1]\nsecret = y\n" + dev) ==
          "creds.ini:6: duplicate access key 'AKID1'");
    CHECK(error_of("[ASIA1]\nsecret = x\nkind = identity\npool = p\n") ==
          "creds.ini:1: [ASIA1] identity key needs both 'pool' and 'identity'");
    CHECK(error_of("[ASIA1]\nsecret = x\nkind = identity\nidentity = i\n") ==
          "creds.ini:1: [ASIA1] identity key needs both 'pool' and 'identity'");
    CHECK(error_of("[AKID1]\nsecret = x\nkind = developer\n") ==
          "creds.ini:1: [AKID1] developer key needs 'pools' (a list of pool ids, or *)");
    CHECK(error_of("[AKID1]\nsecret = x\n" + dev + "identity = i\n") ==
          "creds.ini:1: [AKID1] 'pool' and 'identity' apply to identity keys; developer keys use 'pools'");
    CHECK(error_of("[ASIA1]\nsecret = x\nkind = identity\npool = p\nidentity = i\npools = *\n") ==
          "creds.ini:1: [ASIA1] 'pools' applies to developer keys; identity keys use 'pool'");
    CHECK(error_of("secret = x\n") == "creds.ini:1: setting 'secret' outside a [ACCESS_KEY_ID] section");
    CHECK(error_of("[AKID1\n") == "creds.ini:1: malformed section header, expected [ACCESS_KEY_ID]");
    CHECK(error_of("[AK/ID]\n") == "creds.ini:1: invalid access key 'AK/ID' (letters, digits and '_')");
    CHECK(error_of("[AKID1]\nsecret\n") == "creds.ini:2: expected 'name = value'");
    CHECK(error_of("[AKID1]\nsecret = x\nsecret = y\n") == "creds.ini:3: repeated setting 'secret'");
    CHECK(error_of("[AKID1]\nsecret =   # nothing\n") == "creds.ini:2: empty value for 'secret'");
    CHECK(error_of("[AKID1]\nsecret = a b\n") == "creds.ini:2: secret may not contain whitespace");
    CHECK(error_of("[AKID1]\nkind = admin\n") == "creds.ini:2: unknown kind 'admin' (developer or identity)");
    CHECK(error_of("[AKID1]\nsecret = x\nkind = developer\npools = a,,b\n") ==
          "creds.ini:4: empty or '*' entry in the pools list");
    for (const char* bad : {"12345678901", "1234567890123", "12345678901a", "AKIDEVELOPER"})
        CHECK(error_of("[AKID1]\nsecret = x\n" + dev + "account = " + bad + "\n") ==
              "creds.ini:5: account must be a 12-digit AWS account id");
    CHECK(error_of("[ASIA1]\nsecret = x\nkind = identity\npool = p\nidentity = i\naccount = 123456789012\n") ==
          "creds.ini:1: [ASIA1] 'account' applies to developer keys; an identity key writes its identity id");
}
