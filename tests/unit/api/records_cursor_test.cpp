#include <catch2/catch.hpp>

#include "api/ops/records_cursor.hpp"

using namespace cogsync::api;
using namespace cogsync::api::ops;

namespace {

list_window window_of(int64_t after, int64_t count, bool deleted_after) {
    list_window w;
    w.exists = true;
    w.after_sync_count = after;
    w.dataset_sync_count = count;
    w.deleted_after = deleted_after;
    return w;
}

cogsync::storage::record at(int64_t sync_count, std::string key) {
    cogsync::storage::record r;
    r.key = std::move(key);
    r.sync_count = sync_count;
    return r;
}

}  // namespace

TEST_CASE("a records cursor brings back every key byte for byte", "[cursor]") {
    const std::string key = GENERATE(std::string("a"), std::string("a\0b", 3), std::string("\0", 1),
                                     std::string("a\0", 2), std::string(" two words "), std::string("\xC3\xA9\n"));
    auto c = decode_records_cursor(encode_records_cursor(window_of(4, 9, true), at(7, key)));
    REQUIRE(c);
    CHECK(c->after.key == key);
    CHECK(c->after.sync_count == 7);
    CHECK(c->window.after_sync_count == 4);
    CHECK(c->window.dataset_sync_count == 9);
    CHECK(c->window.deleted_after);
    CHECK(c->window.exists);
    CHECK_FALSE(decode_records_cursor(encode_records_cursor(window_of(0, 2, false), at(1, key)))->window.deleted_after);
}

TEST_CASE("a payload the encoder did not write is refused", "[cursor]") {
    CHECK_FALSE(decode_records_cursor(""));
    CHECK_FALSE(decode_records_cursor("1 2 0"));
    CHECK_FALSE(decode_records_cursor("1 2 0 3"));
    CHECK_FALSE(decode_records_cursor("1 2 x 3 k"));
    CHECK_FALSE(decode_records_cursor("1  2 0 3 k"));
    CHECK_FALSE(decode_records_cursor("a 2 0 3 k"));
    CHECK(decode_records_cursor("1 2 0 3 k"));
}
