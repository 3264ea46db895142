#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

// (sync_count, key) of each record, the order records_page promises.
std::vector<std::pair<int64_t, std::string>> positions(const std::vector<record>& recs) {
    std::vector<std::pair<int64_t, std::string>> out;
    for (const auto& r : recs) out.emplace_back(r.sync_count, r.key);
    return out;
}

record_page_query paging(int64_t after_sync_count, int64_t max_sync_count = INT64_MAX,
                         std::size_t limit = SIZE_MAX, std::optional<record_cursor> after = std::nullopt) {
    record_page_query q;
    q.after_sync_count = after_sync_count;
    q.max_sync_count = max_sync_count;
    q.limit = limit;
    q.after = std::move(after);
    return q;
}

// A live dataset to put records in, and reads of it; `other`, a second dataset of the same
// identity, is there to show that nothing done to `id` leaks into it.
struct one_dataset {
    record_store& store;
    dataset_id id = make_id();
    dataset_id other = make_id("other");

    explicit one_dataset(record_store& s) : store(s) {
        must_write(store, [&](write_view& v) {
            v.save_dataset(make_dataset(id, dataset_state::live, 3));
            v.save_dataset(make_dataset(other));
        });
    }
    std::vector<record> page(const record_page_query& q) {
        return store.read([&](read_view& v) { return v.records_page(id, q); });
    }
    std::optional<record> find(const std::string& key) {
        return store.read([&](read_view& v) { return v.find_record(id, key); });
    }
};

}  // namespace

TEST_CASE("put_record and find_record round-trip every field", "[records]") {
    OPEN_EACH_BACKEND(s);
    one_dataset ds(*s);
    const auto r = make_record("color", "blue", 2);
    must_write(*s, [&](write_view& v) { v.put_record(ds.id, r); });
    const auto found = ds.find("color");
    REQUIRE(found);
    CHECK(found->key == "color");
    CHECK(found->value == "blue");
    CHECK(found->sync_count == 2);
    CHECK(found->last_modified_ms == r.last_modified_ms);
    CHECK(found->last_modified_by == "writer");
    CHECK(found->device_last_modified_ms == r.device_last_modified_ms);
    CHECK_FALSE(ds.find("colour"));
    CHECK_FALSE(s->read([&](read_view& v) { return v.find_record(ds.other, "color"); }));
}

TEST_CASE("a tombstone keeps its key and sync count, and can be replaced", "[records]") {
    OPEN_EACH_BACKEND(s);
    one_dataset ds(*s);
    must_write(*s, [&](write_view& v) { v.put_record(ds.id, make_record("k", "v", 1)); });
    must_write(*s, [&](write_view& v) { v.put_record(ds.id, make_record("k", std::nullopt, 2)); });
    auto t = ds.find("k");
    REQUIRE(t);
    CHECK_FALSE(t->value);
    CHECK(t->sync_count == 2);
    must_write(*s, [&](write_view& v) { v.put_record(ds.id, make_record("k", "", 3)); });
    t = ds.find("k");
    REQUIRE(t);
    CHECK(t->value == std::string());  // an empty value is not a tombstone
    CHECK(t->sync_count == 3);
}

TEST_CASE("keys and values round-trip byte for byte", "[records]") {
    OPEN_EACH_BACKEND(s);
    one_dataset ds(*s);
    const std::string emoji = "\xF0\x9F\x98\x80";
    const std::string nul("a\0b", 3);
    const std::string big(1 << 20, 'x');
    std::string mixed;
    for (int i = 0; i < 1000; ++i) mixed += "\xE6\x97\xA5" + emoji + std::to_string(i);
    must_write(*s, [&](write_view& v) {
        v.put_record(ds.id, make_record(emoji, emoji, 1));
        v.put_record(ds.id, make_record(nul, nul, 1));
        v.put_record(ds.id, make_record("big", big, 1));
        v.put_record(ds.id, make_record("mixed", mixed, 1));
    });
    CHECK(ds.find(emoji)->value == emoji);
    CHECK(ds.find(nul)->value == nul);
    CHECK_FALSE(ds.find("a"));  // "a\0b" is not "a"
    CHECK(ds.find("big")->value == big);
    CHECK(ds.find("mixed")->value == mixed);
}

TEST_CASE("put_record needs the dataset row", "[records]") {
    OPEN_EACH_BACKEND(s);
    CHECK_THROWS_AS(s->write([&](write_view& v) {
        v.put_record(make_id("missing"), make_record("k", "v", 1));
        return true;
    }),
                    storage_error);
}

TEST_CASE("records_page orders by (sync_count, key) and filters", "[records]") {
    OPEN_EACH_BACKEND(s);
    one_dataset ds(*s);
    must_write(*s, [&](write_view& v) {
        v.put_record(ds.id, make_record("b", "1", 1));
        v.put_record(ds.id, make_record("a", "1", 1));
        v.put_record(ds.id, make_record("\xC3\xA9", "2", 2));  // bytes sort after ASCII
        v.put_record(ds.id, make_record("z", std::nullopt, 2));
        v.put_record(ds.id, make_record("c", "2", 2));
        v.put_record(ds.id, make_record("a2", "3", 3));
    });
    using pos = std::vector<std::pair<int64_t, std::string>>;
    CHECK(positions(ds.page({})) ==
          pos{{1, "a"}, {1, "b"}, {2, "c"}, {2, "z"}, {2, "\xC3\xA9"}, {3, "a2"}});
    CHECK(positions(ds.page(paging(1))) == pos{{2, "c"}, {2, "z"}, {2, "\xC3\xA9"}, {3, "a2"}});
    CHECK(positions(ds.page(paging(1, 2))) ==
          pos{{2, "c"}, {2, "z"}, {2, "\xC3\xA9"}});
    CHECK(positions(ds.page(paging(0, INT64_MAX, 3))) == pos{{1, "a"}, {1, "b"}, {2, "c"}});
    CHECK(ds.page(paging(0, INT64_MAX, 0)).empty());
    CHECK(ds.page(paging(3)).empty());
    CHECK_FALSE(ds.page(paging(1))[1].value);  // tombstones included
}

TEST_CASE("records_page resumes strictly after a cursor", "[records]") {
    OPEN_EACH_BACKEND(s);
    one_dataset ds(*s);
    must_write(*s, [&](write_view& v) {
        for (int i = 0; i < 10; ++i) v.put_record(ds.id, make_record("k" + std::to_string(i), "v", 1 + i / 4));
    });
    // Walks the whole dataset two records at a time, as ListRecords pagination does.
    std::vector<record> all;
    auto q = paging(0, 3, 2);
    for (;;) {
        auto chunk = ds.page(q);
        if (chunk.empty()) break;
        all.insert(all.end(), chunk.begin(), chunk.end());
        q.after = record_cursor{chunk.back().sync_count, chunk.back().key};
    }
    REQUIRE(all.size() == 10);
    CHECK(positions(all) == positions(ds.page({})));
    CHECK(positions(ds.page(paging(1, INT64_MAX, SIZE_MAX, record_cursor{2, "k5"}))) ==
          std::vector<std::pair<int64_t, std::string>>{{2, "k6"}, {2, "k7"}, {3, "k8"}, {3, "k9"}});
    CHECK(positions(ds.page(paging(1, INT64_MAX, 2, record_cursor{1, "k3"}))) ==
          std::vector<std::pair<int64_t, std::string>>{{2, "k4"}, {2, "k5"}});
    // The cursor only narrows: after_sync_count still applies.
    CHECK(positions(ds.page(paging(2, INT64_MAX, SIZE_MAX, record_cursor{1, "k0"}))).front().first == 3);
}

// A RecordKey may hold U+0000 (the model gives it no pattern): the cursor compares whole keys.
TEST_CASE("records_page resumes after a key holding NUL", "[records]") {
    OPEN_EACH_BACKEND(s);
    one_dataset ds(*s);
    const std::string a0("a\0", 2), a0b("a\0b", 3), a0c("a\0c", 3);
    must_write(*s, [&](write_view& v) {
        for (const auto& k : {std::string("a"), a0, a0b, a0c, std::string("b")}) v.put_record(ds.id, make_record(k, "v", 1));
    });
    using pos = std::vector<std::pair<int64_t, std::string>>;
    CHECK(positions(ds.page(paging(0, INT64_MAX, 2, record_cursor{1, a0}))) == pos{{1, a0b}, {1, a0c}});
    CHECK(positions(ds.page(paging(0, INT64_MAX, 1, record_cursor{1, a0c}))) == pos{{1, "b"}});
}

TEST_CASE("drop_records removes records and tombstones of one dataset", "[records]") {
    OPEN_EACH_BACKEND(s);
    one_dataset ds(*s);
    must_write(*s, [&](write_view& v) {
        v.put_record(ds.id, make_record("a", "1", 1));
        v.put_record(ds.id, make_record("t", std::nullopt, 2));
        v.put_record(ds.other, make_record("a", "1", 1));
    });
    must_write(*s, [&](write_view& v) { v.drop_records(ds.id); });
    CHECK(ds.page({}).empty());
    CHECK(s->read([&](read_view& v) { return v.find_record(ds.other, "a"); }).has_value());
}

TEST_CASE("find_records returns exactly the asked keys that exist, tombstones included", "[records][batch]") {
    OPEN_EACH_BACKEND(s);
    one_dataset ds(*s);
    must_write(*s, [&](write_view& v) {
        v.put_records(ds.id, {make_record("a", "1", 1), make_record("b", std::nullopt, 2), make_record("c", "", 3),
                              make_record("not asked", "4", 3)});
        v.put_record(ds.other, make_record("elsewhere", "5", 1));
    });
    auto found = s->read([&](read_view& v) { return v.find_records(ds.id, {"c", "missing", "b", "elsewhere", "a", "c"}); });
    std::sort(found.begin(), found.end(), [](const record& x, const record& y) { return x.key < y.key; });
    REQUIRE(found.size() == 3);
    for (const auto& r : found) {
        const auto one = ds.find(r.key);
        REQUIRE(one);
        CHECK(r.value == one->value);
        CHECK(r.sync_count == one->sync_count);
        CHECK(r.last_modified_ms == one->last_modified_ms);
        CHECK(r.last_modified_by == one->last_modified_by);
        CHECK(r.device_last_modified_ms == one->device_last_modified_ms);
    }
    CHECK(found[0].key == "a");
    CHECK(found[1].key == "b");
    CHECK_FALSE(found[1].value);
    CHECK(found[2].key == "c");
    CHECK(found[2].value == std::string());
    s->read([&](read_view& v) {
        CHECK(v.find_records(ds.id, {}).empty());
        CHECK(v.find_records(make_id("never written"), {"a"}).empty());
        return 0;
    });
}

TEST_CASE("put_records inserts and replaces many records of one dataset", "[records][batch]") {
    OPEN_EACH_BACKEND(s);
    one_dataset ds(*s);
    must_write(*s, [&](write_view& v) {
        v.put_records(ds.id, {make_record("a", "1", 1), make_record("b", "1", 1), make_record("kept", "1", 1)});
        v.put_records(ds.other, {make_record("a", "other", 1)});
    });
    std::vector<record> batch{make_record("a", std::nullopt, 2), make_record("b", "2", 2)};
    std::vector<std::string> keys{"a", "b"};
    for (int i = 0; i < 200; ++i) {
        batch.push_back(make_record("n" + std::to_string(i), std::to_string(i), 2));
        keys.push_back(batch.back().key);
    }
    std::size_t seen_in_job = 0;
    must_write(*s, [&](write_view& v) {
        v.put_records(ds.id, batch);
        v.put_records(ds.id, {});
        seen_in_job = v.find_records(ds.id, keys).size();  // a job reads its own writes
    });
    CHECK(seen_in_job == batch.size());

    const auto all = ds.page({});
    REQUIRE(all.size() == batch.size() + 1);
    for (const auto& want : batch) {
        const auto got = ds.find(want.key);
        REQUIRE(got);
        CHECK(got->value == want.value);
        CHECK(got->sync_count == 2);
    }
    CHECK(ds.find("kept")->sync_count == 1);
    CHECK(s->read([&](read_view& v) { return v.find_record(ds.other, "a"); })->value == "other");

    // A key twice in one call: the later record is the one kept.
    must_write(*s, [&](write_view& v) {
        v.put_records(ds.id, {make_record("twice", "first", 3), make_record("x", "1", 3), make_record("twice", "second", 3)});
    });
    CHECK(ds.find("twice")->value == "second");
}

TEST_CASE("put_records needs the dataset row, and its job is rolled back", "[records][batch]") {
    OPEN_EACH_BACKEND(s);
    CHECK_THROWS_AS(s->write([&](write_view& v) {
        v.save_dataset(make_dataset(make_id("saved first")));
        v.put_records(make_id("missing"), {make_record("k", "v", 1), make_record("l", "v", 1)});
        return true;
    }),
                    storage_error);
    CHECK(s->read([](read_view& v) { return v.load_dataset(make_id("saved first")).state; }) == dataset_state::absent);
}
