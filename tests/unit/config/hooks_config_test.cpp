// The hooks file format documented in config/hooks_config.hpp.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "config/hooks_config.hpp"

using namespace cogsync::config;

namespace {

std::string error_of(const std::string& text) {
    try {
        parse_hooks(text, "hooks.ini");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    FAIL("accepted:\n" << text);
    return {};
}

const std::string good = R"(# cogsync hooks
[sink.devices]            # push sink
type = webhook
url = http://127.0.0.1:9000/push
platforms = APNS, GCM

[sink.audit]
type = file
path = /tmp/changes.ndjson
fsync = never
streams = *
timeout_ms = 2500

[trigger.validate]
type = webhook
url = http://127.0.0.1:9001/trigger
functions = arn:aws:lambda:us-east-1:123456789012:function:validate
)";

}  // namespace

TEST_CASE("hooks file: sinks and triggers in file order") {
    auto c = parse_hooks(good, "hooks.ini");
    REQUIRE(c.sinks.size() == 2);
    REQUIRE(c.triggers.size() == 1);
    const auto& push = c.sinks[0];
    CHECK(push.name == "devices");
    CHECK(push.role == hook_role::push_sink);
    CHECK(push.type == "webhook");
    CHECK(push.get("url") == "http://127.0.0.1:9000/push");
    CHECK(push.serves.matches("GCM"));
    CHECK(push.serves.matches("APNS"));
    CHECK_FALSE(push.serves.matches("ADM"));
    CHECK(push.timeout_ms == 5000);
    CHECK(push.line == 2);
    const auto& file = c.sinks[1];
    CHECK(file.role == hook_role::stream_sink);
    CHECK(file.serves.all);
    CHECK(file.serves.matches("anything"));
    CHECK(file.get("fsync") == "never");
    CHECK(file.timeout_ms == 2500);
    const auto& t = c.triggers[0];
    CHECK(t.role == hook_role::trigger);
    CHECK(t.serves.matches("arn:aws:lambda:us-east-1:123456789012:function:validate"));
    CHECK_FALSE(t.serves.matches("arn:aws:lambda:us-east-1:123456789012:function:other"));
}

TEST_CASE("hooks file: an empty file configures nothing") {
    auto c = parse_hooks("# nothing\n\n", "hooks.ini");
    CHECK(c.sinks.empty());
    CHECK(c.triggers.empty());
}

TEST_CASE("hooks file: errors name the line") {
    CHECK(error_of("type = webhook\n") == "hooks.ini:1: setting 'type' outside a [sink.NAME] or [trigger.NAME] section");
    CHECK(error_of("[queue.x]\n").find("hooks.ini:1: unknown section") == 0);
    CHECK(error_of("[sink.a b]\n").find("hooks.ini:1: invalid name") == 0);
    CHECK(error_of("[sink.a]\ntype = log\nplatforms = *\n[sink.a]\n") == "hooks.ini:4: duplicate section [sink.a]");
    CHECK(error_of("[sink.a]\ntype = log\ntype = log\n") == "hooks.ini:3: repeated setting 'type'");
    CHECK(error_of("[sink.a]\ncolour = red\n") == "hooks.ini:2: unknown setting 'colour'");
    CHECK(error_of("[sink.a]\ntype =\n") == "hooks.ini:2: empty value for 'type'");
    CHECK(error_of("[sink.a]\nplatforms = *\n") == "hooks.ini:1: [sink.a] missing 'type'");
    CHECK(error_of("[sink.a]\ntype = log\n").find("exactly one of 'platforms'") != std::string::npos);
    CHECK(error_of("[sink.a]\ntype = log\nplatforms = *\nstreams = *\n").find("exactly one") != std::string::npos);
    CHECK(error_of("[trigger.t]\ntype = webhook\nurl = http://x/\n").find("needs 'functions'") != std::string::npos);
    CHECK(error_of("[trigger.t]\ntype = webhook\nfunctions = *\nstreams = *\n").find("apply to sinks") != std::string::npos);
    CHECK(error_of("[sink.a]\ntype = log\nplatforms = GCM, ,APNS\n") == "hooks.ini:3: empty or '*' entry in a list");
    CHECK(error_of("[sink.a]\ntype = file\nfsync = sometimes\n") == "hooks.ini:3: fsync must be always or never");
    CHECK(error_of("[sink.a]\ntype = webhook\nurl = ftp://x/\n").find("must start with http:// or https://") !=
          std::string::npos);
    CHECK(error_of("[sink.a]\ntimeout_ms = 10\n") == "hooks.ini:2: timeout_ms must be between 100 and 60000");
    CHECK(error_of("[sink.a]\ntimeout_ms = ten\n") == "hooks.ini:2: timeout_ms must be a number of milliseconds");
    CHECK(error_of("[sink.a\n").find("malformed section header") != std::string::npos);
    CHECK(error_of("[sink.a]\njust words\n") == "hooks.ini:2: expected 'name = value'");
}

TEST_CASE("hooks file: an unreadable file") {
    CHECK_THROWS_WITH(load_hooks_file("/nonexistent/hooks.ini"), "/nonexistent/hooks.ini:0: cannot open the hooks file");
}
