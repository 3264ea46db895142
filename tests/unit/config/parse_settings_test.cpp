#include <catch2/catch.hpp>
#include <cstdlib>

#include "config/parse_settings.hpp"

using namespace cogsync::config;

namespace {
command parse(std::vector<const char*> args) {
    args.insert(args.begin(), "cogsync");
    return parse_command_line(static_cast<int>(args.size()), args.data());
}
}  // namespace

TEST_CASE("serve with no arguments uses the documented defaults") {
    unsetenv("COGSYNC_LISTEN");
    unsetenv("COGSYNC_DATA_DIR");
    auto c = parse({"serve"});
    REQUIRE(std::holds_alternative<settings>(c));
    auto& s = std::get<settings>(c);
    CHECK(s.listen_host == "127.0.0.1");
    CHECK(s.listen_port == 8080);
    CHECK(s.data_dir == "./cogsync-data");
    CHECK(s.durability == "full");
    CHECK(s.max_body_bytes >= 4u << 20);
    CHECK(s.account_id == "000000000000");
    CHECK(s.region == "us-east-1");
}

TEST_CASE("--account-id takes exactly 12 digits, from a flag or the environment") {
    CHECK(std::get<settings>(parse({"serve", "--account-id", "123456789012"})).account_id == "123456789012");
    setenv("COGSYNC_ACCOUNT_ID", "210987654321", 1);
    CHECK(std::get<settings>(parse({"serve"})).account_id == "210987654321");
    unsetenv("COGSYNC_ACCOUNT_ID");
    for (const char* bad : {"12345", "1234567890123", "12345678901x", ""})
        CHECK(std::holds_alternative<exit_now>(parse({"serve", "--account-id", bad})));
}

TEST_CASE("flags override environment variables, which override defaults") {
    setenv("COGSYNC_LISTEN", "0.0.0.0:9000", 1);
    setenv("COGSYNC_DATA_DIR", "/tmp/from-env", 1);
    auto env_only = std::get<settings>(parse({"serve"}));
    CHECK(env_only.listen_host == "0.0.0.0");
    CHECK(env_only.listen_port == 9000);
    CHECK(env_only.data_dir == "/tmp/from-env");
    auto flagged = std::get<settings>(parse({"serve", "--listen", "127.0.0.1:0", "--data-dir", "/tmp/x"}));
    CHECK(flagged.listen_port == 0);
    CHECK(flagged.data_dir == "/tmp/x");
    unsetenv("COGSYNC_LISTEN");
    unsetenv("COGSYNC_DATA_DIR");
}

TEST_CASE("invalid values are refused with a usage exit code") {
    CHECK(std::holds_alternative<exit_now>(parse({"serve", "--listen", "nonsense"})));
    CHECK(std::holds_alternative<exit_now>(parse({"serve", "--durability", "maybe"})));
    CHECK(std::holds_alternative<exit_now>(parse({"serve", "--io-threads", "0"})));
    CHECK(std::holds_alternative<exit_now>(parse({"serve", "--max-buffered-bytes", "2097152"})));  // < 8 MiB body limit
    CHECK(std::holds_alternative<exit_now>(parse({})));
    CHECK(std::holds_alternative<exit_now>(parse({"serve", "--region", "eu-west-1\r\nX: y"})));
    CHECK(std::get<settings>(parse({"serve", "--region", "eu-central-2"})).region == "eu-central-2");
}

TEST_CASE("split_host_port") {
    CHECK(split_host_port("[::1]:80") == std::make_pair(std::string("::1"), uint16_t{80}));
    CHECK_FALSE(split_host_port("host:99999"));
    CHECK_FALSE(split_host_port(":80"));
    CHECK_FALSE(split_host_port("host:"));
}

TEST_CASE("auth mode follows the credentials file unless contradicted") {
    CHECK(std::get<settings>(parse({"serve"})).auth_mode == "open");
    auto keyed = std::get<settings>(parse({"serve", "--credentials-file", "/etc/keys"}));
    CHECK(keyed.auth_mode == "sigv4");
    // sigv4 without keys: only credentials minted by GetCredentialsForIdentity authenticate.
    CHECK(std::get<settings>(parse({"serve", "--auth", "sigv4"})).auth_mode == "sigv4");
    CHECK(std::holds_alternative<exit_now>(parse({"serve", "--auth", "open", "--credentials-file", "/etc/keys"})));
}

TEST_CASE("probe asks /ready at the listen address, a wildcard host read as loopback") {
    unsetenv("COGSYNC_LISTEN");
    CHECK(std::get<probe_command>(parse({"probe"})).url == "http://127.0.0.1:8080/ready");
    setenv("COGSYNC_LISTEN", "0.0.0.0:9000", 1);
    CHECK(std::get<probe_command>(parse({"probe"})).url == "http://127.0.0.1:9000/ready");
    CHECK(std::get<probe_command>(parse({"probe", "--listen", "[::]:7000"})).url == "http://127.0.0.1:7000/ready");
    unsetenv("COGSYNC_LISTEN");
    CHECK(std::get<probe_command>(parse({"probe", "--listen", "[::1]:7000"})).url == "http://[::1]:7000/ready");
    auto given = std::get<probe_command>(parse({"probe", "--url", "http://cogsync:8080/health", "--timeout-ms", "500"}));
    CHECK(given.url == "http://cogsync:8080/health");
    CHECK(given.timeout_ms == 500);
    CHECK(std::holds_alternative<exit_now>(parse({"probe", "--listen", "nonsense"})));
    CHECK(std::holds_alternative<exit_now>(parse({"probe", "--timeout-ms", "0"})));
}
