// Stream payloads (storage/record_store.hpp): bodies kept under an id with an expiry, found only
// with that expiry, replaced by id, and dropped once expired.
#include <catch2/catch.hpp>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

std::optional<std::string> payload(record_store& store, const std::string& id, int64_t expires_s) {
    return store.read([&](read_view& v) { return v.find_stream_payload(id, expires_s); });
}

}  // namespace

TEST_CASE("a stream payload is found by its id and expiry until it expires and is dropped", "[payloads]") {
    OPEN_EACH_BACKEND(s);
    const std::string big(300000, 'x');
    CHECK_FALSE(payload(*s, "e-1", 100));
    must_write(*s, [&](write_view& v) {
        v.keep_stream_payload("e-1", 100, "[\"a\"]");
        v.keep_stream_payload("e-2", 200, big);
    });
    CHECK(payload(*s, "e-1", 100) == "[\"a\"]");
    CHECK_FALSE(payload(*s, "e-1", 101));  // another expiry names another URL
    CHECK(payload(*s, "e-2", 200) == big);
    must_write(*s, [&](write_view& v) { v.keep_stream_payload("e-1", 150, "[\"b\"]"); });
    CHECK_FALSE(payload(*s, "e-1", 100));
    CHECK(payload(*s, "e-1", 150) == "[\"b\"]");

    int64_t dropped = -1;
    must_write(*s, [&](write_view& v) { dropped = v.drop_expired_stream_payloads(150); });
    CHECK(dropped == 1);  // at its expiry, a payload is expired
    CHECK_FALSE(payload(*s, "e-1", 150));
    s.reopen();
    CHECK(payload(*s, "e-2", 200) == big);
}
