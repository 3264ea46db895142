// URL parsing for the outbound client (server/hooks/http_client.hpp): http and https, the Host header,
// and the registry's handling of ca_file.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "config/hooks_config.hpp"
#include "server/hooks/hook_registry.hpp"
#include "server/hooks/http_client.hpp"

using namespace cogsync;
using namespace cogsync::server;

TEST_CASE("https urls: default port 443, explicit port, target, ca_file kept") {
    auto u = parse_http_url("https://kinesis.us-east-1.amazonaws.com");
    CHECK(u.tls);
    CHECK(u.host == "kinesis.us-east-1.amazonaws.com");
    CHECK(u.port == "443");
    CHECK(u.target == "/");
    CHECK(u.ca_file.empty());
    auto p = parse_http_url("https://127.0.0.1:8443/hook?a=1", "/etc/ca.pem");
    CHECK(p.tls);
    CHECK(p.port == "8443");
    CHECK(p.target == "/hook?a=1");
    CHECK(p.ca_file == "/etc/ca.pem");
    CHECK(parse_http_url("https://[::1]/x").host == "::1");
    CHECK(parse_http_url("https://[::1]/x").port == "443");
    CHECK_FALSE(parse_http_url("http://x/").tls);
}

TEST_CASE("other schemes and malformed authorities are refused") {
    CHECK_THROWS_AS(parse_http_url("ftp://x/"), std::invalid_argument);
    CHECK_THROWS_AS(parse_http_url("HTTPS://x/"), std::invalid_argument);
    CHECK_THROWS_AS(parse_http_url("https:/x/"), std::invalid_argument);
    CHECK_THROWS_AS(parse_http_url("httpsx://x/"), std::invalid_argument);
    CHECK_THROWS_AS(parse_http_url("ws://x/"), std::invalid_argument);
    CHECK_THROWS_AS(parse_http_url("https://:443/"), std::invalid_argument);
    CHECK_THROWS_AS(parse_http_url("https://x:44a3/"), std::invalid_argument);
    CHECK_THROWS_AS(parse_http_url("https://x:/"), std::invalid_argument);
    CHECK_THROWS_AS(parse_http_url("http://x/", "/etc/ca.pem"), std::invalid_argument);
}

TEST_CASE("Host header omits the scheme's default port, brackets IPv6") {
    CHECK(host_header(parse_http_url("https://lambda.us-east-1.amazonaws.com/")) == "lambda.us-east-1.amazonaws.com");
    CHECK(host_header(parse_http_url("https://127.0.0.1:8443/")) == "127.0.0.1:8443");
    CHECK(host_header(parse_http_url("https://x:80/")) == "x:80");
    CHECK(host_header(parse_http_url("http://x/")) == "x");
    CHECK(host_header(parse_http_url("http://x:443/")) == "x:443");
    CHECK(host_header(parse_http_url("http://[::1]:81/")) == "[::1]:81");
}

namespace {

std::string build_error(const std::string& text) {
    try {
        build_hooks(config::parse_hooks(text, "h.ini"), "h.ini");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST_CASE("registry: ca_file on every HTTP-based type, checked at startup") {
    auto ca = std::string("/tmp/cogsync_unit_ca_") + std::to_string(::getpid()) + ".pem";
    std::ofstream(ca) << "not a certificate\n";
    CHECK(build_error("[sink.l]\ntype = log\nplatforms = *\nca_file = /x.pem\n") ==
          "h.ini:1: [sink.l] type log does not take 'ca_file'");
    CHECK(build_error("[sink.f]\ntype = file\npath = /tmp/x\nstreams = *\nca_file = /x.pem\n") ==
          "h.ini:1: [sink.f] type file does not take 'ca_file'");
    CHECK(build_error("[sink.w]\ntype = webhook\nurl = https://127.0.0.1:1/\nstreams = *\nca_file = /nonexistent.pem\n")
              .find("h.ini:1: [sink.w] cannot load ca_file '/nonexistent.pem'") == 0);
    CHECK(build_error("[trigger.t]\ntype = webhook\nurl = https://127.0.0.1:1/\nfunctions = *\nca_file = " + ca + "\n")
              .find("h.ini:1: [trigger.t] cannot load ca_file") == 0);
    CHECK(build_error("[sink.w]\ntype = webhook\nurl = http://127.0.0.1:1/\nplatforms = *\nca_file = /x.pem\n")
              .find("ca_file needs an https:// URL") != std::string::npos);
    CHECK(build_error("[sink.k]\ntype = kinesis\nendpoint = https://kinesis.us-east-1.amazonaws.com\nregion = r\n"
                      "access_key = a\nsecret_key = s\nstreams = *\n") == "accepted");
    CHECK(build_error("[trigger.l]\ntype = lambda\nendpoint = https://lambda.us-east-1.amazonaws.com\nregion = r\n"
                      "access_key = a\nsecret_key = s\nfunctions = *\n") == "accepted");
    std::remove(ca.c_str());
}
