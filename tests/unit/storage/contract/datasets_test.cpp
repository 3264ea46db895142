#include <catch2/catch.hpp>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

void check_same(const dataset& a, const dataset& b) {
    CHECK(a.id.pool == b.id.pool);
    CHECK(a.id.identity == b.id.identity);
    CHECK(a.id.name == b.id.name);
    CHECK(a.state == b.state);
    CHECK(a.sync_count == b.sync_count);
    CHECK(a.deleted_at == b.deleted_at);
    CHECK(a.creation_ms == b.creation_ms);
    CHECK(a.last_modified_ms == b.last_modified_ms);
    CHECK(a.last_modified_by == b.last_modified_by);
    CHECK(a.data_storage == b.data_storage);
    CHECK(a.num_records == b.num_records);
    CHECK(a.tombstones == b.tombstones);
    CHECK(a.tombstone_bytes == b.tombstone_bytes);
}

}  // namespace

TEST_CASE("a never-written dataset loads as absent with its id", "[datasets]") {
    OPEN_EACH_BACKEND(s);
    const auto d = s->read([&](read_view& v) { return v.load_dataset(make_id()); });
    CHECK(d.state == dataset_state::absent);
    CHECK(d.id.name == "profile");
    CHECK(d.id.identity == "us-east-1:0001");
    CHECK(d.sync_count == 0);
    CHECK(d.deleted_at == 0);
    CHECK(d.last_modified_by.empty());
}

TEST_CASE("datasets save and load in every state", "[datasets]") {
    OPEN_EACH_BACKEND(s);
    for (auto state : {dataset_state::live, dataset_state::deleted, dataset_state::absent}) {
        auto d = make_dataset(make_id(), state, 7);
        d.deleted_at = state == dataset_state::deleted ? 7 : 3;
        d.data_storage = 123;
        d.num_records = 4;
        d.tombstones = 5;
        d.tombstone_bytes = 67;
        d.last_modified_by = "us-east-1:\xC3\xA9";
        must_write(*s, [&](write_view& v) { v.save_dataset(d); });
        check_same(s->read([&](read_view& v) { return v.load_dataset(d.id); }), d);
    }
}

TEST_CASE("saving a dataset again keeps its records", "[datasets]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    must_write(*s, [&](write_view& v) {
        v.save_dataset(make_dataset(id, dataset_state::live, 1));
        v.put_record(id, make_record("k", "v", 1));
    });
    must_write(*s, [&](write_view& v) { v.save_dataset(make_dataset(id, dataset_state::live, 2)); });
    CHECK(s->read([&](read_view& v) { return v.find_record(id, "k"); }).has_value());
}

TEST_CASE("datasets_page lists live datasets by name after a cursor", "[datasets]") {
    OPEN_EACH_BACKEND(s);
    must_write(*s, [&](write_view& v) {
        for (const char* name : {"d", "b", "a", "c", "e"}) v.save_dataset(make_dataset(make_id(name)));
        v.save_dataset(make_dataset(make_id("bb"), dataset_state::deleted));
        v.save_dataset(make_dataset(make_id("z", "us-east-1:other")));
        v.save_dataset(make_dataset(make_id("y", "us-east-1:0001", "us-east-1:other-pool")));
    });
    auto names = [&](const std::string& after, std::size_t limit) {
        std::vector<std::string> out;
        for (const auto& d : s->read([&](read_view& v) {
                 return v.datasets_page("us-east-1:pool", "us-east-1:0001", after, limit);
             }))
            out.push_back(d.id.name);
        return out;
    };
    CHECK(names("", SIZE_MAX) == std::vector<std::string>{"a", "b", "c", "d", "e"});
    CHECK(names("", 2) == std::vector<std::string>{"a", "b"});
    CHECK(names("b", 2) == std::vector<std::string>{"c", "d"});
    CHECK(names("e", 10).empty());
    CHECK(s->read([](read_view& v) { return v.live_dataset_count("us-east-1:pool", "us-east-1:0001"); }) == 5);
}

TEST_CASE("usage_of_identity counts live datasets and their storage", "[datasets][usage]") {
    OPEN_EACH_BACKEND(s);
    const std::string pool = "us-east-1:pool", who = "us-east-1:0001";
    auto empty = s->read([&](read_view& v) { return v.usage_of_identity(pool, who); });
    CHECK(empty.pool == pool);
    CHECK(empty.identity == who);
    CHECK(empty.dataset_count == 0);
    CHECK(empty.data_storage == 0);
    CHECK(empty.last_modified_ms == 0);
    must_write(*s, [&](write_view& v) {
        auto a = make_dataset(make_id("a"), dataset_state::live, 1);
        a.data_storage = 10;
        auto b = make_dataset(make_id("b"), dataset_state::live, 2);
        b.data_storage = 32;
        auto gone = make_dataset(make_id("c"), dataset_state::deleted, 9);
        gone.data_storage = 1000;
        for (const auto& d : {a, b, gone}) v.save_dataset(d);
    });
    auto u = s->read([&](read_view& v) { return v.usage_of_identity(pool, who); });
    CHECK(u.dataset_count == 2);
    CHECK(u.data_storage == 42);
    CHECK(u.last_modified_ms == 2009);
}

TEST_CASE("usage_of_pool and pools_page", "[datasets][usage]") {
    OPEN_EACH_BACKEND(s);
    CHECK_FALSE(s->read([](read_view& v) { return v.usage_of_pool("p1"); }).has_value());
    must_write(*s, [&](write_view& v) {
        auto a = make_dataset(make_id("a", "i1", "p1"), dataset_state::live, 3);
        a.data_storage = 5;
        auto b = make_dataset(make_id("a", "i2", "p1"), dataset_state::live, 4);
        b.data_storage = 6;
        auto gone = make_dataset(make_id("x", "i1", "p3"), dataset_state::deleted, 2);
        gone.data_storage = 50;
        auto emptied = make_dataset(make_id("y", "i1", "p2"), dataset_state::deleted, 1);
        for (const auto& d : {a, b, gone, emptied}) v.save_dataset(d);
    });
    s->count_session("p2");
    s->count_session("p2");
    REQUIRE(eventually([&] { return s->read([](read_view& v) { return v.usage_of_pool("p2"); })->sync_sessions == 2; }));

    auto p1 = s->read([](read_view& v) { return v.usage_of_pool("p1"); });
    REQUIRE(p1);
    CHECK(p1->data_storage == 11);
    CHECK(p1->sync_sessions == 0);
    CHECK(p1->last_modified_ms == 2004);
    auto p2 = s->read([](read_view& v) { return v.usage_of_pool("p2"); });
    REQUIRE(p2);
    CHECK(p2->sync_sessions == 2);
    CHECK(p2->data_storage == 0);
    auto p3 = s->read([](read_view& v) { return v.usage_of_pool("p3"); });
    REQUIRE(p3);  // a deleted dataset still makes the pool known
    CHECK(p3->data_storage == 0);

    auto pools = [&](const std::string& after, std::size_t limit) {
        std::vector<std::string> out;
        for (const auto& p : s->read([&](read_view& v) { return v.pools_page(after, limit); }))
            out.push_back(p.pool);
        return out;
    };
    CHECK(pools("", 10) == std::vector<std::string>{"p1", "p2", "p3"});
    CHECK(pools("", 2) == std::vector<std::string>{"p1", "p2"});
    CHECK(pools("p1", 10) == std::vector<std::string>{"p2", "p3"});
    CHECK(pools("p3", 10).empty());
    CHECK(s->read([](read_view& v) { return v.pools_page("", 10); })[1].sync_sessions == 2);
}
