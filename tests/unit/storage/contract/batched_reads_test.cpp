// start_update and start_listing: what UpdateRecords and ListRecords read in one call. Each must
// answer exactly what the separate calls it stands for would (an engine may send them in one
// round trip), and the writes that follow start_update are kept or rolled back with the job.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

std::vector<std::string> keys_of(std::vector<record> rs) {
    std::vector<std::string> out;
    for (const auto& r : rs) out.push_back(r.key);
    std::sort(out.begin(), out.end());
    return out;
}

void seed(record_store& s, const dataset_id& id) {
    must_write(s, [&](write_view& v) {
        v.save_dataset(make_dataset(id, dataset_state::live, 3));
        v.put_records(id, {make_record("a", "1", 1), make_record("b", std::nullopt, 2), make_record("c", "3", 3)});
    });
}

}  // namespace

TEST_CASE("start_update reads the configuration, the dataset, the asked records and spends the session",
          "[batched]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    seed(*s, id);
    pool_config c;
    c.pool = id.pool;
    c.push_sync = push_sync_config{{"arn:aws:sns:us-east-1:1:app/GCM/b"}, "arn:aws:iam::1:role/push"};
    c.events = {{"SyncTrigger", "arn:aws:lambda:us-east-1:1:function:f"}};
    must_write(*s, [&](write_view& v) { v.save_pool_config(c); });

    write_view::update_start got;
    must_write(*s, [&](write_view& v) { got = v.start_update(id, {"b", "c", "missing", "c"}, {"s1", INT64_MAX}, true); });
    REQUIRE(got.config);
    CHECK(got.config->events == c.events);
    REQUIRE(got.config->push_sync);
    CHECK(got.config->push_sync->application_arns == c.push_sync->application_arns);
    CHECK(got.current.sync_count == 3);
    CHECK(got.current.state == dataset_state::live);
    CHECK(keys_of(got.records) == std::vector<std::string>{"b", "c"});
    CHECK(got.session_spent);
    if (got.live_datasets) CHECK(*got.live_datasets == 1);

    must_write(*s, [&](write_view& v) { got = v.start_update(id, {"a"}, {"s1", INT64_MAX}, false); });
    CHECK_FALSE(got.config);
    CHECK_FALSE(got.session_spent);  // spent by the first call
}

TEST_CASE("start_update on a new dataset, and its spend undone by a rollback", "[batched]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id("fresh");
    write_view::update_start got;
    CHECK_FALSE(s->write([&](write_view& v) {
        got = v.start_update(id, {"k"}, {"s1", INT64_MAX}, true);
        return false;
    }));
    CHECK_FALSE(got.config);
    CHECK(got.current.state == dataset_state::absent);
    CHECK(got.records.empty());
    CHECK(got.session_spent);
    if (got.live_datasets) CHECK(*got.live_datasets == 0);
    CHECK_FALSE(s->read([](read_view& v) { return v.session_used({"s1", INT64_MAX}); }));
}

TEST_CASE("writes after start_update commit with the job, and a missing dataset row fails it", "[batched]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    must_write(*s, [&](write_view& v) {
        (void)v.start_update(id, {"k"}, {"s1", INT64_MAX}, false);
        auto d = make_dataset(id, dataset_state::live, 1);
        v.save_dataset(d);
        v.put_records(id, {make_record("k", "v", 1)});
        v.add_outbox({0, id.pool, id.identity, id.name, "update", "{}", 1});
    });
    CHECK(s->read([&](read_view& v) { return v.find_record(id, "k"); })->value == "v");
    CHECK(s->read([](read_view& v) { return v.outbox_page(0, 10); }).size() == 1);
    CHECK_THROWS_AS(s->write([&](write_view& v) {
        v.put_records(make_id("never-saved"), {make_record("k", "v", 1)});
        return true;
    }),
                    storage_error);
    CHECK_FALSE(s->read([&](read_view& v) { return v.find_record(make_id("never-saved"), "k"); }));
}

TEST_CASE("start_listing answers as session_used, load_dataset, the merged datasets and records_page would",
          "[batched]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id("ds", "r:dest");
    seed(*s, id);
    must_write(*s, [&](write_view& v) {
        v.record_merge(id.pool, "r:dest", "r:live");
        v.record_merge(id.pool, "r:dest", "r:gone");
        v.record_merge(id.pool, "r:dest", "r:never");
        v.save_dataset(make_dataset({id.pool, id.identity, merged_dataset_name("ds", "r:live")}));
        v.save_dataset(make_dataset({id.pool, id.identity, merged_dataset_name("ds", "r:gone")}, dataset_state::deleted));
        v.save_dataset(make_dataset({id.pool, id.identity, "other.r:live"}));
        v.spend_session({"used", INT64_MAX});
    });
    record_page_query guess;
    guess.after_sync_count = 1;
    guess.limit = 1;
    auto got = s->read([&](read_view& v) { return v.start_listing(id, session_key{"used", INT64_MAX}, guess); });
    CHECK(got.session_used);
    CHECK(got.current.sync_count == 3);
    REQUIRE(got.merged.size() == 2);
    CHECK(got.merged[0].id.name == "ds.r:gone");
    CHECK(got.merged[0].state == dataset_state::deleted);
    CHECK(got.merged[1].id.name == "ds.r:live");
    CHECK(got.merged[1].state == dataset_state::live);
    if (got.page) CHECK(keys_of(*got.page) == std::vector<std::string>{"b"});

    got = s->read([&](read_view& v) { return v.start_listing(make_id("absent"), session_key{"fresh", INT64_MAX}, {}); });
    CHECK_FALSE(got.session_used);
    CHECK(got.current.state == dataset_state::absent);
    CHECK(got.merged.empty());
    if (got.page) CHECK(got.page->empty());
    got = s->read([&](read_view& v) { return v.start_listing(id, std::nullopt, {}); });
    CHECK_FALSE(got.session_used);
    if (got.page) CHECK(keys_of(*got.page) == std::vector<std::string>{"a", "b", "c"});
}

namespace {

std::optional<record> stored(record_store& s, const dataset_id& id, const std::string& key) {
    return s.read([&](read_view& v) { return v.find_record(id, key); });
}

}  // namespace

TEST_CASE("the writes after start_update land on the rows it found: updated, revived, new, and a key it was not asked",
          "[batched]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    seed(*s, id);  // a = "1" at 1, b removed at 2, c = "3" at 3
    must_write(*s, [&](write_view& v) {
        auto got = v.start_update(id, {"a", "b", "n"}, {"s1", INT64_MAX}, false);
        REQUIRE(got.current.sync_count == 3);
        v.save_dataset(make_dataset(id, dataset_state::live, 4));
        v.put_records(id, {make_record("a", "A", 4), make_record("b", "B", 4), make_record("n", "N", 4)});
        v.put_records(id, {make_record("z", "Z", 4)});
    });
    for (auto [key, value] : {std::pair{"a", "A"}, {"b", "B"}, {"n", "N"}, {"z", "Z"}, {"c", "3"}}) {
        auto r = stored(*s, id, key);
        REQUIRE(r);
        CHECK(r->value == std::optional<std::string>(value));
    }
    CHECK(s->read([&](read_view& v) { return v.load_dataset(id); }).sync_count == 4);
    record_page_query since3;
    since3.after_sync_count = 3;
    CHECK(keys_of(s->read([&](read_view& v) { return v.records_page(id, since3); })) ==
          std::vector<std::string>{"a", "b", "n", "z"});

    const auto fresh = make_id("fresh");
    must_write(*s, [&](write_view& v) {
        (void)v.start_update(fresh, {"k"}, {"s2", INT64_MAX}, false);
        v.save_dataset(make_dataset(fresh, dataset_state::live, 1));
        v.put_records(fresh, {make_record("k", "K", 1)});
    });
    REQUIRE(stored(*s, fresh, "k"));
    CHECK(stored(*s, fresh, "k")->value == "K");
}

TEST_CASE("what start_update found does not outlive a change made after it, nor its job", "[batched]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    seed(*s, id);
    // Records dropped after start_update found "a": the write must store it again.
    must_write(*s, [&](write_view& v) {
        (void)v.start_update(id, {"a"}, {"s1", INT64_MAX}, false);
        v.drop_records(id);
        v.put_records(id, {make_record("a", "again", 4)});
    });
    REQUIRE(stored(*s, id, "a"));
    CHECK(stored(*s, id, "a")->value == "again");
    CHECK_FALSE(stored(*s, id, "c"));

    // A job that found "a" absent and rolled back (restoring "a"); the next job writes "a"
    // without start_update.
    seed(*s, id);
    CHECK_FALSE(s->write([&](write_view& v) {
        v.drop_records(id);
        (void)v.start_update(id, {"a"}, {"s2", INT64_MAX}, false);
        return false;
    }));
    must_write(*s, [&](write_view& v) { v.put_records(id, {make_record("a", "next", 5)}); });
    REQUIRE(stored(*s, id, "a"));
    CHECK(stored(*s, id, "a")->value == "next");
}
