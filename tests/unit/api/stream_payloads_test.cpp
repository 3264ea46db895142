// Stream payload URLs (api/stream_payloads.hpp): signed, time-limited, deleted once expired.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <unistd.h>

#include "api/api_error.hpp"
#include "api/stream_payloads.hpp"
#include "tests/support/api_error_code.hpp"

using namespace cogsync::api;
using cogsync::testing::code_of;

namespace {

request get(const std::string& url) {
    auto path_start = url.find("/streams/");
    auto q = url.find('?');
    request r;
    r.method = "GET";
    r.path = url.substr(path_start, q == std::string::npos ? std::string::npos : q - path_start);
    if (q != std::string::npos) r.query = url.substr(q + 1);
    return r;
}

}  // namespace

TEST_CASE("stream payload URLs: served while valid, refused when tampered or expired, then deleted") {
    auto dir = std::filesystem::temp_directory_path() / ("cogsync-payloads-" + std::to_string(::getpid()));
    stream_payloads p(dir.string(), std::string(32, 'k'), 60000);
    p.set_base_url("http://h:1");
    const int64_t now = 1700000000000;
    auto url = p.keep("cogsync-7_2", "[1,2]", now);
    CHECK(url.rfind("http://h:1/streams/payload/cogsync-7_2?expires=1700000060&signature=", 0) == 0);
    CHECK(stream_payloads::is_payload_path(get(url).path));
    CHECK(p.serve(get(url), now).body == "[1,2]");

    auto tampered = url;
    tampered.back() = tampered.back() == 'a' ? 'b' : 'a';
    CHECK(code_of([&] { p.serve(get(tampered), now); }) == error_code::not_authorized);
    auto other_id = url;
    other_id.replace(other_id.find("cogsync-7_2"), 11, "cogsync-7_3");
    CHECK(code_of([&] { p.serve(get(other_id), now); }) == error_code::not_authorized);
    CHECK(code_of([&] { p.serve(get(url), now + 60000); }) == error_code::not_authorized);
    CHECK(std::filesystem::is_empty(dir));  // the serve swept the expired payload
    CHECK_THROWS(p.keep("../x", "[]", now));
    std::filesystem::remove_all(dir);
}
