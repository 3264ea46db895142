#include <catch2/catch.hpp>
#include <toml++/toml.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config_file.hpp"
#include "config/parse_settings.hpp"
#include "config/public_urls.hpp"
#include "config/toml_oidc_providers.hpp"

using namespace cogsync::config;

namespace {

const std::string jwks = R"({"keys":[{"kty":"RSA","kid":"k1","n":"AQAB","e":"AQAB"}]})";

// A directory with a configuration file and a JWKS file beside it, removed at scope exit.
struct config_dir {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("cogsync-oidc-" + std::to_string(::getpid()));
    config_dir() {
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "google.json") << jwks;
        std::ofstream(dir / "broken.json") << "{\"keys\":";
    }
    ~config_dir() { std::filesystem::remove_all(dir); }
    std::string config_path() const { return (dir / "c.toml").string(); }
};

struct result {
    std::vector<oidc_provider> providers;
    std::vector<file_problem> problems;
};

result read(const config_dir& d, const std::string& text) {
    auto table = toml::parse(std::string_view(text), std::string_view(d.config_path()));
    result r;
    r.providers = oidc_providers_from_toml(*table.get("oidc_providers"), d.config_path(), r.problems);
    return r;
}

std::string problem_text(const config_dir& d, const std::string& text) {
    auto r = read(d, text);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.providers.empty());
    return describe(r.problems[0]);
}

}  // namespace

TEST_CASE("[oidc_providers.\"<login key>\"] tables: issuer default, client ids, jwks inline or from a file", "[oidc-providers]") {
    config_dir d;
    auto r = read(d, "[oidc_providers.\"accounts.google.com\"]\nissuer = \"https://accounts.google.com\"\n"
                     "client_ids = [\"a.apps.googleusercontent.com\", \"b\"]\njwks_file = \"google.json\"\n\n"
                     "[oidc_providers.\"cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC\"]\njwks = '" + jwks + "'\n");
    REQUIRE(r.problems.empty());
    REQUIRE(r.providers.size() == 2);
    const auto& google = r.providers[0];
    CHECK(google.login_key == "accounts.google.com");
    CHECK(google.client_ids == std::vector<std::string>{"a.apps.googleusercontent.com", "b"});
    CHECK(google.jwks == jwks);
    CHECK(google.jwks_file == (d.dir / "google.json").string());
    const auto& pool = r.providers[1];
    CHECK(pool.issuer == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC");
    CHECK(pool.client_ids.empty());
    CHECK(pool.jwks == jwks);
    CHECK(pool.jwks_file.empty());
}

TEST_CASE("provider mistakes name the line, the key and the JWKS file", "[oidc-providers]") {
    config_dir d;
    const std::string c = d.config_path();
    const std::string head = "[oidc_providers.\"idp.example.com\"]\n";
    CHECK(problem_text(d, head + "jwks_file = \"google.json\"\nclient_id = \"x\"\n") ==
          c + ":3: key 'oidc_providers.idp.example.com.client_id': unknown key");
    CHECK(problem_text(d, head + "issuer = \"idp.example.com\"\njwks_file = \"google.json\"\n") ==
          c + ":2: key 'oidc_providers.idp.example.com.issuer': expected an http:// or https:// URL");
    CHECK(problem_text(d, head + "client_ids = \"x\"\njwks_file = \"google.json\"\n") ==
          c + ":2: key 'oidc_providers.idp.example.com.client_ids': expected a list of non-empty strings");
    CHECK(problem_text(d, head + "issuer = \"https://idp.example.com\"\n") ==
          c + ":1: key 'oidc_providers.idp.example.com': needs jwks_file or jwks: the provider's signing keys "
              "(cogsync does not fetch keys from the internet)");
    CHECK(problem_text(d, head + "jwks_file = \"google.json\"\njwks = '" + jwks + "'\n") ==
          c + ":3: key 'oidc_providers.idp.example.com.jwks': give jwks_file or jwks, not both");
    CHECK(problem_text(d, head + "jwks = '" + jwks + "'\njwks_file = \"google.json\"\n") ==
          c + ":3: key 'oidc_providers.idp.example.com.jwks_file': give jwks_file or jwks, not both");
    CHECK(problem_text(d, head + "jwks_file = \"missing.json\"\n") ==
          c + ":2: key 'oidc_providers.idp.example.com.jwks_file': cannot read JWKS file " + (d.dir / "missing.json").string());
    CHECK(problem_text(d, head + "jwks_file = \"broken.json\"\n") ==
          c + ":2: key 'oidc_providers.idp.example.com.jwks_file': JWKS file " + (d.dir / "broken.json").string() + " is not JSON");
    CHECK(problem_text(d, head + "jwks = '[]'\n") ==
          c + ":2: key 'oidc_providers.idp.example.com.jwks': inline JWKS is not a JWKS document {\"keys\": [...]}");
    CHECK(problem_text(d, "oidc_providers = 3\n") == c + ":1: key 'oidc_providers': expected [oidc_providers.\"<login key>\"] tables");
    CHECK(problem_text(d, "[oidc_providers]\nx = 1\n") ==
          c + ":2: key 'oidc_providers.x': expected a table of its own: [oidc_providers.\"x\"]");
}

TEST_CASE("serve --config reads providers; check and show keep working", "[oidc-providers]") {
    config_dir d;
    std::ofstream(d.config_path()) << "token-issuer = \"https://sync.example.com\"\n"
                                      "[oidc_providers.\"accounts.google.com\"]\njwks_file = \"google.json\"\n";
    std::vector<const char*> args{"cogsync", "serve", "--config", nullptr};
    std::string path = d.config_path();
    args[3] = path.c_str();
    auto s = std::get<settings>(parse_command_line(static_cast<int>(args.size()), args.data()));
    REQUIRE(s.oidc_providers.size() == 1);
    CHECK(s.oidc_providers[0].issuer == "https://accounts.google.com");
    CHECK(token_issuer(s, 8080) == "https://sync.example.com");

    std::ostringstream shown;
    auto* old = std::cout.rdbuf(shown.rdbuf());
    std::vector<const char*> show{"cogsync", "config", "show", "--config", path.c_str()};
    auto code = std::get<exit_now>(parse_command_line(static_cast<int>(show.size()), show.data())).code;
    std::cout.rdbuf(old);
    CHECK(code == 0);
    CHECK(shown.str().find("token-issuer = \"https://sync.example.com\"\n") != std::string::npos);
    CHECK(shown.str().find("\n[oidc_providers.\"accounts.google.com\"]\nissuer = \"https://accounts.google.com\"\njwks_file = \"" +
                           (d.dir / "google.json").string() + "\"\n") != std::string::npos);
}

TEST_CASE("the token issuer defaults to the public URL and must be a URL", "[oidc-providers]") {
    settings s;
    s.listen_host = "0.0.0.0";
    CHECK(token_issuer(s, 9000) == "http://127.0.0.1:9000");
    s.public_url = "https://sync.example.com/";
    CHECK(token_issuer(s, 9000) == "https://sync.example.com");
    s.token_issuer = "https://issuer.example.com/sync";
    CHECK(token_issuer(s, 9000) == "https://issuer.example.com/sync");
    std::vector<const char*> bad{"cogsync", "serve", "--token-issuer", "issuer.example.com"};
    CHECK(std::get<exit_now>(parse_command_line(static_cast<int>(bad.size()), bad.data())).code == 2);
}
