#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "config/config_file.hpp"
#include "config/parse_settings.hpp"

using namespace cogsync::config;

namespace {

// A TOML file in the temp directory, removed at scope exit.
struct temp_file {
    std::string path;
    explicit temp_file(const std::string& text)
        : path((std::filesystem::temp_directory_path() /
                ("cogsync-config-" + std::to_string(::getpid()) + ".toml")).string()) {
        std::ofstream(path) << text;
    }
    ~temp_file() { std::remove(path.c_str()); }
};

command parse(std::vector<const char*> args) {
    args.insert(args.begin(), "cogsync");
    return parse_command_line(static_cast<int>(args.size()), args.data());
}

std::vector<file_problem> problems_of(const std::string& text) {
    temp_file file(text);
    settings s;
    std::string listen;
    CLI::App options;
    add_serve_options(options, s, listen);
    return apply_config_file(file.path, options, s);
}

}  // namespace

TEST_CASE("serve --config reads the serve flags' names as keys", "[config-file]") {
    temp_file file("# a comment\nlisten = \"127.0.0.1:9001\"\nmax-records = 2\ndurability = \"normal\"\n"
                   "rate-limit = 2.5\nregion = \"eu-west-1\"\n");
    auto s = std::get<settings>(parse({"serve", "--config", file.path.c_str()}));
    CHECK(s.listen_port == 9001);
    CHECK(s.max_records == 2);
    CHECK(s.durability == "normal");
    CHECK(s.rate_limit == 2.5);
    CHECK(s.region == "eu-west-1");
    std::string inline_form = "--config=" + file.path;
    CHECK(std::get<settings>(parse({"serve", inline_form.c_str()})).max_records == 2);
    setenv("COGSYNC_CONFIG", file.path.c_str(), 1);
    CHECK(std::get<settings>(parse({"serve"})).max_records == 2);
    unsetenv("COGSYNC_CONFIG");
    CHECK(std::get<settings>(parse({"serve"})).max_records == 1024);
}

TEST_CASE("flags override the environment, which overrides the file", "[config-file]") {
    temp_file file("max-records = 2\nmax-datasets = 3\nmax-devices = 4\n");
    setenv("COGSYNC_MAX_RECORDS", "5", 1);
    setenv("COGSYNC_MAX_DATASETS", "6", 1);
    auto s = std::get<settings>(parse({"serve", "--config", file.path.c_str(), "--max-records", "7"}));
    unsetenv("COGSYNC_MAX_RECORDS");
    unsetenv("COGSYNC_MAX_DATASETS");
    CHECK(s.max_records == 7);
    CHECK(s.max_datasets == 6);
    CHECK(s.max_devices == 4);
    CHECK(s.max_subscriptions == 20);
}

TEST_CASE("a value the flag would refuse is refused with its line and key", "[config-file]") {
    auto problems = problems_of("max-records = 2\n\nio-threads = 0\ndurability = \"maybe\"\nlisten = 8080\n");
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].line == 3);
    CHECK(problems[0].key == "io-threads");
    CHECK_THAT(describe(problems[0]), Catch::StartsWith(problems[0].file + ":3: key 'io-threads': "));
    CHECK_THAT(problems[0].message, Catch::Contains("not in range"));
    CHECK(problems[1].line == 4);
    CHECK(problems[1].key == "durability");
    CHECK(problems[2].key == "listen");
    CHECK_THAT(problems[2].message, Catch::Contains("HOST:PORT"));
}

TEST_CASE("unknown keys, tables and the file's own name are errors", "[config-file]") {
    auto problems = problems_of("max-record = 2\nconfig = \"x.toml\"\nhelp = 1\nmax-body-bytes = [1]\n[serve]\nlisten = \"x\"\n");
    REQUIRE(problems.size() == 5);
    for (int i = 0; i < 3; ++i) CHECK(problems[i].message == "unknown key");
    CHECK(problems[0].key == "max-record");
    CHECK(problems[0].line == 1);
    CHECK(problems[3].key == "max-body-bytes");
    CHECK(problems[3].message == "expected a string or a number");
    CHECK(problems[4].key == "serve");
    CHECK(problems[4].line == 5);
}

TEST_CASE("a TOML syntax error names its line; a missing file is an error", "[config-file]") {
    auto problems = problems_of("max-records = 2\nlisten = \"127.0.0.1:1\n");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].line == 2);
    CHECK(problems[0].key.empty());
    auto missing = std::get<exit_now>(parse({"serve", "--config", "/nonexistent/cogsync.toml"}));
    CHECK(missing.code == 2);
    temp_file bad("max-records = 0\n");
    CHECK(std::get<exit_now>(parse({"serve", "--config", bad.path.c_str()})).code == 2);
}

TEST_CASE("config check exits 0 on a good file and 2 on a bad one", "[config-file]") {
    temp_file good("max-records = 2\n");
    CHECK(std::get<exit_now>(parse({"config", "check", good.path.c_str()})).code == 0);
    temp_file bad("max-records = 2\nmax-buffered-bytes = 1048576\n");  // below the 8 MiB body limit
    CHECK(std::get<exit_now>(parse({"config", "check", bad.path.c_str()})).code == 2);
    CHECK(std::get<exit_now>(parse({"config", "check"})).code == 2);
}

TEST_CASE("credentials in the file turn sigv4 on, and exclude a credentials file", "[config-file]") {
    temp_file file("[credentials.AKID1]\nsecret = \"x\"\nkind = \"developer\"\npools = \"*\"\n");
    auto s = std::get<settings>(parse({"serve", "--config", file.path.c_str()}));
    CHECK(s.auth_mode == "sigv4");
    REQUIRE(s.credentials.size() == 1);
    CHECK(s.credentials[0].access_key == "AKID1");
    CHECK(std::get<exit_now>(parse({"serve", "--config", file.path.c_str(), "--credentials-file", "/x"})).code == 2);
    CHECK(std::get<exit_now>(parse({"serve", "--config", file.path.c_str(), "--auth", "open"})).code == 2);
}

TEST_CASE("hooks tables in the file stand for a hooks file, and exclude one", "[config-file]") {
    temp_file file("max-records = 2\n[sink.push]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:9/p\"\nplatforms = \"*\"\n");
    auto s = std::get<settings>(parse({"serve", "--config", file.path.c_str()}));
    REQUIRE(s.file_hooks.has_value());
    REQUIRE(s.file_hooks->sinks.size() == 1);
    CHECK(s.file_hooks->sinks[0].name == "push");
    CHECK(s.config_file == file.path);
    CHECK_FALSE(std::get<settings>(parse({"serve"})).file_hooks.has_value());
    CHECK(std::get<exit_now>(parse({"serve", "--config", file.path.c_str(), "--hooks-file", "/x"})).code == 2);
    temp_file also("hooks-file = \"/x\"\n[trigger.t]\ntype = \"webhook\"\nurl = \"http://h\"\nfunctions = \"*\"\n");
    CHECK(std::get<exit_now>(parse({"config", "check", also.path.c_str()})).code == 2);
}
