// The [sink.*] and [trigger.*] tables of the configuration file (config/toml_hooks.hpp).
#include <catch2/catch.hpp>

#include "config/toml_hooks.hpp"
#include "tests/unit/config/toml_tables.hpp"

using namespace cogsync::config;

namespace {

auto read(const std::string& text) {
    return read_toml_tables(text, [](const toml::table& file, std::vector<file_problem>& problems) {
        return hooks_from_toml(file, "c.toml", problems);
    });
}

// The same hooks as the INI example of tests/unit/config/hooks_config_test.cpp, triggers in
// reverse name order to show that file order is kept.
const std::string good = R"(max-records = 2

[trigger.zeta]
type = "webhook"
url = "http://127.0.0.1:9001/trigger"
functions = "arn:aws:lambda:us-east-1:123456789012:function:validate"

[sink.devices]
type = "webhook"
url = "http://127.0.0.1:9000/push"
platforms = ["APNS", "GCM"]

[sink.audit]
type = "file"
path = "/tmp/changes.ndjson"
fsync = "never"
streams = "*"
timeout_ms = 2500

[trigger.alpha]
type = "lambda"
endpoint = "http://127.0.0.1:9002"
region = "us-east-1"
access_key = "AKIDEXAMPLE"
secret_key = "wJalrXUtnFEMI/K7MDENG"
functions = "*"
)";

void check_same(const hook_section& a, const hook_section& b) {
    CHECK(a.role == b.role);
    CHECK(a.name == b.name);
    CHECK(a.type == b.type);
    CHECK(a.serves.all == b.serves.all);
    CHECK(a.serves.names == b.serves.names);
    CHECK(a.timeout_ms == b.timeout_ms);
    CHECK(a.settings == b.settings);
}

}  // namespace

TEST_CASE("hooks tables give the model the hooks file gives, at the file's lines", "[toml-hooks]") {
    auto r = read(good);
    REQUIRE(r.problems.empty());
    REQUIRE(r.value.has_value());
    auto ini = parse_hooks("[trigger.zeta]\ntype = webhook\nurl = http://127.0.0.1:9001/trigger\n"
                           "functions = arn:aws:lambda:us-east-1:123456789012:function:validate\n"
                           "[sink.devices]\ntype = webhook\nurl = http://127.0.0.1:9000/push\nplatforms = APNS, GCM\n"
                           "[sink.audit]\ntype = file\npath = /tmp/changes.ndjson\nfsync = never\nstreams = *\n"
                           "timeout_ms = 2500\n[trigger.alpha]\ntype = lambda\nendpoint = http://127.0.0.1:9002\n"
                           "region = us-east-1\naccess_key = AKIDEXAMPLE\nsecret_key = wJalrXUtnFEMI/K7MDENG\nfunctions = *\n",
                           "hooks.ini");
    REQUIRE(r.value->sinks.size() == 2);
    REQUIRE(r.value->triggers.size() == 2);
    for (size_t i = 0; i < 2; ++i) check_same(r.value->sinks[i], ini.sinks[i]);
    for (size_t i = 0; i < 2; ++i) check_same(r.value->triggers[i], ini.triggers[i]);
    CHECK(r.value->triggers[0].name == "zeta");
    CHECK(r.value->sinks[0].line == 8);
    CHECK(r.value->triggers[1].line == 20);
    CHECK_FALSE(read("max-records = 2\n").value.has_value());
}

TEST_CASE("the hooks file's rules apply, with its messages, at the file's lines", "[toml-hooks]") {
    struct bad_case {
        std::string text;
        int64_t line;
        std::string key, message;
    };
    for (const auto& c : std::vector<bad_case>{
             {"[sink.a]\nurl = \"http://h\"\nplatforms = \"*\"\n", 1, "sink.a", "[sink.a] missing 'type'"},
             {"x = 1\n[sink.a]\ntype = \"webhook\"\nurl = \"ftp://h\"\nplatforms = \"*\"\n", 4, "sink.a",
              "url must start with http:// or https://"},
             {"[trigger.t]\ntype = \"webhook\"\ncolour = \"blue\"\nfunctions = \"*\"\n", 3, "trigger.t",
              "unknown setting 'colour'"},
             {"[sink.a]\ntype = \"file\"\npath = \"/p\"\nplatforms = \"*\"\nstreams = \"*\"\n", 1, "sink.a",
              "[sink.a] a sink needs exactly one of 'platforms' (push sink) or 'streams' (stream sink)"},
             {"[sink.\"a b\"]\ntype = \"log\"\nplatforms = \"*\"\n", 1, "sink.a b",
              "invalid name 'a b' (letters, digits, '_' and '-')"},
             {"[sink.a]\ntype = \"log\"\nplatforms = [\"GCM\", \"*\"]\n", 3, "sink.a", "empty or '*' entry in a list"},
             {"[sink.a]\ntype = \"log\"\nplatforms = [\"GCM\", \"\"]\n", 3, "sink.a.platforms",
              "expected one line of text, or a list of non-empty strings, without ' #'"},
             {"[sink.a]\ntype = \"log\"\nplatforms = \"*\"\ntimeout_ms = 99\n", 4, "sink.a",
              "timeout_ms must be between 100 and 60000"},
             {"sink = 1\n", 1, "sink", "expected [sink.NAME] tables"},
             {"[sink.a]\ntype = \"log\"\nplatforms = \"*\"\nfsync = true\n", 4, "sink.a.fsync",
              "expected one line of text, or a list of non-empty strings, without ' #'"},
         }) {
        auto r = read(c.text);
        INFO(c.text);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].line == c.line);
        CHECK(r.problems[0].key == c.key);
        CHECK(r.problems[0].message == c.message);
        CHECK_FALSE(r.value.has_value());
    }
}

TEST_CASE("config show's hooks tables mask keys and URL secrets, and read back", "[toml-hooks]") {
    auto r = read("[sink.s]\ntype = \"kinesis\"\nendpoint = \"https://user:pw@kinesis.example:443/?token=t0k\"\n"
                  "access_key = \"AKIDEXAMPLE\"\nsecret_key = \"wJalrXUtnFEMI\"\nregion = \"us-east-1\"\nstreams = [\"a\", \"b\"]\n"
                  "[trigger.t]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:9/t?key=abc\"\nfunctions = \"*\"\ntimeout_ms = 200\n");
    REQUIRE(r.problems.empty());
    auto shown = masked_hooks_toml(*r.value);
    for (const char* secret : {"pw", "t0k", "AKIDEXAMPLE", "wJalrXUtnFEMI", "abc"}) CHECK_THAT(shown, !Catch::Contains(secret));
    CHECK_THAT(shown, Catch::Contains("endpoint = \"https://user:****@kinesis.example:443/?****\""));
    CHECK_THAT(shown, Catch::Contains("url = \"http://127.0.0.1:9/t?****\""));
    CHECK_THAT(shown, Catch::Contains("secret_key = \"****\""));
    auto again = read(shown);
    REQUIRE(again.problems.empty());
    REQUIRE(again.value->sinks.size() == 1);
    CHECK(again.value->sinks[0].serves.names == std::vector<std::string>{"a", "b"});
    CHECK(again.value->sinks[0].get("region") == "us-east-1");
    CHECK(again.value->triggers.at(0).timeout_ms == 200);
    CHECK(again.value->triggers.at(0).serves.all);
}
