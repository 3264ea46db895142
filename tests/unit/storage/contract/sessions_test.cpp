#include <catch2/catch.hpp>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

TEST_CASE("spend_session marks a session id used exactly once", "[sessions]") {
    OPEN_EACH_BACKEND(s);
    auto spend = [&](const std::string& sid) {
        bool first = false;
        must_write(*s, [&](write_view& v) { first = v.spend_session({sid, INT64_MAX}); });
        return first;
    };
    CHECK_FALSE(s->read([](read_view& v) { return v.session_used({"s1", INT64_MAX}); }));
    CHECK(spend("s1"));
    CHECK_FALSE(spend("s1"));
    CHECK(spend("s2"));
    CHECK(s->read([](read_view& v) { return v.session_used({"s1", INT64_MAX}); }));
}

TEST_CASE("a rolled-back write does not spend the session", "[sessions]") {
    OPEN_EACH_BACKEND(s);
    CHECK_FALSE(s->write([](write_view& v) {
        v.spend_session({"s1", INT64_MAX});
        return false;
    }));
    CHECK_FALSE(s->read([](read_view& v) { return v.session_used({"s1", INT64_MAX}); }));
}

namespace {

// Session counts are kept only for pools that hold a dataset (record_store::count_session).
void give_datasets(record_store& s, std::initializer_list<const char*> pools) {
    must_write(s, [&](write_view& v) {
        for (const char* pool : pools) v.save_dataset(make_dataset(make_id("ds", "i1", pool)));
    });
}

}  // namespace

TEST_CASE("session counts survive closing the store", "[sessions]") {
    OPEN_EACH_BACKEND(s);
    give_datasets(*s, {"p1", "p2"});
    for (int i = 0; i < 3; ++i) s->count_session("p1");
    s->count_session("p2");
    s.reopen();
    auto p1 = s->read([](read_view& v) { return v.usage_of_pool("p1"); });
    REQUIRE(p1);
    CHECK(p1->sync_sessions == 3);
    s->count_session("p1");
    CHECK(eventually([&] { return s->read([](read_view& v) { return v.usage_of_pool("p1"); })->sync_sessions == 4; }));
    CHECK(s->read([](read_view& v) { return v.usage_of_pool("p2"); })->sync_sessions == 1);
}

// count_session may keep a count in memory for about a second; it must get there with no write
// to carry it.
TEST_CASE("session counts reach the store without any write", "[sessions]") {
    OPEN_EACH_BACKEND(s);
    give_datasets(*s, {"p1"});
    s->count_session("p1");
    CHECK(eventually([&] { return s->read([](read_view& v) { return v.usage_of_pool("p1"); })->sync_sessions == 1; }));
}

// ListRecords on a never-written pool is a read: it must not make the pool known or add a row.
TEST_CASE("session counts of a pool without datasets are not stored", "[sessions]") {
    OPEN_EACH_BACKEND(s);
    give_datasets(*s, {"known"});
    for (int i = 0; i < 5; ++i) s->count_session("nowhere");
    s->count_session("known");
    s.reopen();
    CHECK_FALSE(s->read([](read_view& v) { return v.usage_of_pool("nowhere"); }).has_value());
    CHECK(s->read([](read_view& v) { return v.pools_page("", 10); }).size() == 1);
    CHECK(s->read([](read_view& v) { return v.usage_of_pool("known"); })->sync_sessions == 1);
}
