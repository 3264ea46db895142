// Stream payload URLs (api/stream_payloads.hpp): signed, time-limited, kept in the store (so any
// node serves them), deleted once expired.
#include <catch2/catch.hpp>

#include <string>

#include "api/api_error.hpp"
#include "api/stream_payloads.hpp"
#include "tests/support/api_error_code.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

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
    cogsync::storage::testing::temp_dir dir;
    cogsync::storage::sqlite_store store(cogsync::storage::testing::sqlite_options(dir));
    stream_payloads p(store, std::string(32, 'k'), 60000);
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

    // The next keep sweeps the expired payload out of the store.
    auto kept = [&](const char* id, int64_t expires_s) {
        return store.read([&](cogsync::storage::read_view& v) { return v.find_stream_payload(id, expires_s); });
    };
    CHECK(kept("cogsync-7_2", 1700000060));
    auto later = p.keep("cogsync-8_1", "[3]", now + 60000);
    CHECK_FALSE(kept("cogsync-7_2", 1700000060));
    CHECK(p.serve(get(later), now + 60000).body == "[3]");
    CHECK_THROWS(p.keep("../x", "[]", now));
}

TEST_CASE("a stream payload URL one node handed out is served by another node on the same store") {
    cogsync::storage::testing::temp_dir dir;
    cogsync::storage::sqlite_store store(cogsync::storage::testing::sqlite_options(dir));
    const std::string key(32, 'k');
    stream_payloads writer_node(store, key, 60000), other_node(store, key, 60000);
    writer_node.set_base_url("http://a:1");
    const int64_t now = 1700000000000;
    auto url = writer_node.keep("cogsync-9_1", "[\"v\"]", now);
    CHECK(other_node.serve(get(url), now).body == "[\"v\"]");
    // A URL whose payload is no longer kept is 404, not a crash or an empty 200.
    auto missing = writer_node.keep("cogsync-9_2", "[]", now);
    store.write([](cogsync::storage::write_view& v) { return v.drop_expired_stream_payloads(1800000000) >= 0; });
    CHECK(code_of([&] { other_node.serve(get(missing), now); }) == error_code::resource_not_found);
}
