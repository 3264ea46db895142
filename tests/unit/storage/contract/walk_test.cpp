// The paged walks over every row that `cogsync export` reads: each in one fixed order, every row
// exactly once across pages, deleted datasets and tombstones included.
#include <catch2/catch.hpp>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

TEST_CASE("all_datasets_page walks every dataset, deleted ones too, in (pool, identity, name) order",
          "[walk]") {
    OPEN_EACH_BACKEND(s);
    const std::vector<dataset_id> ids = {make_id("b", "us-east-1:0002", "eu-west-1:p"), make_id("a"),
                                         make_id("z", "us-east-1:0001", "eu-west-1:p"), make_id("b")};
    must_write(*s, [&](write_view& v) {
        for (const auto& id : ids) v.save_dataset(make_dataset(id, id.name == "z" ? dataset_state::deleted : dataset_state::live, 3));
    });
    std::vector<std::string> seen;
    std::optional<dataset_id> after;
    for (;;) {
        auto page = s->read([&](read_view& v) { return v.all_datasets_page(after ? &*after : nullptr, 1); });
        if (page.empty()) break;
        REQUIRE(page.size() == 1);
        seen.push_back(page[0].id.pool + "/" + page[0].id.identity + "/" + page[0].id.name);
        if (page[0].id.name == "z") CHECK(page[0].state == dataset_state::deleted);
        after = page[0].id;
    }
    CHECK(seen == std::vector<std::string>{"eu-west-1:p/us-east-1:0001/z", "eu-west-1:p/us-east-1:0002/b",
                                           "us-east-1:pool/us-east-1:0001/a", "us-east-1:pool/us-east-1:0001/b"});
}

TEST_CASE("records_by_key pages a dataset's records and tombstones in byte order", "[walk]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    const std::string nul_key("k\0x", 3);
    must_write(*s, [&](write_view& v) {
        v.save_dataset(make_dataset(id, dataset_state::live, 4));
        v.put_records(id, {make_record("b", "2", 4), make_record(nul_key, "n", 1), make_record("k", std::nullopt, 2),
                           make_record("\xc3\xa9", "e", 3)});
        v.save_dataset(make_dataset(make_id("other"), dataset_state::live, 1));
        v.put_record(make_id("other"), make_record("a", "x", 1));
    });
    std::vector<std::string> keys;
    std::optional<std::string> after;
    for (;;) {
        auto page = s->read([&](read_view& v) { return v.records_by_key(id, after ? &*after : nullptr, 3); });
        for (const auto& r : page) keys.push_back(r.key);
        if (page.size() < 3) break;
        after = page.back().key;
    }
    CHECK(keys == std::vector<std::string>{"b", "k", nul_key, "\xc3\xa9"});
}

TEST_CASE("devices, subscriptions and pool configurations page in their fixed orders", "[walk]") {
    OPEN_EACH_BACKEND(s);
    must_write(*s, [&](write_view& v) {
        v.save_device({"d2", "us-east-1:pool", "us-east-1:0001", "GCM", "t2"});
        v.save_device({"d1", "us-east-1:pool", "us-east-1:0002", "GCM", "t1"});
        v.save_device({"d3", "us-east-1:pool", "us-east-1:0001", "ADM", "t3"});
        v.subscribe(make_id("b"), "d3");
        v.subscribe(make_id("a"), "d3");
        v.subscribe(make_id("a"), "d2");
        pool_config events_only;
        events_only.pool = "us-east-1:z";
        events_only.events = {{"SyncTrigger", "arn:aws:lambda:us-east-1:1:function:f"}};
        v.save_pool_config(events_only);
        pool_config streams;
        streams.pool = "us-east-1:a";
        streams.cognito_streams = cognito_streams_config{"s", "arn:aws:iam::1:role/r", "ENABLED"};
        v.save_pool_config(streams);
    });
    std::vector<std::string> devices;
    std::optional<device> after_device;
    for (;;) {
        auto page = s->read([&](read_view& v) { return v.devices_page(after_device ? &*after_device : nullptr, 2); });
        for (const auto& d : page) devices.push_back(d.device_id);
        if (page.size() < 2) break;
        after_device = page.back();
    }
    CHECK(devices == std::vector<std::string>{"d2", "d3", "d1"});

    std::vector<std::string> subs;
    std::optional<subscription> after_sub;
    for (;;) {
        auto page = s->read([&](read_view& v) { return v.subscriptions_page(after_sub ? &*after_sub : nullptr, 2); });
        for (const auto& x : page) subs.push_back(x.dataset.name + "/" + x.device_id);
        if (page.size() < 2) break;
        after_sub = page.back();
    }
    CHECK(subs == std::vector<std::string>{"a/d2", "a/d3", "b/d3"});

    auto pools = s->read([](read_view& v) { return v.pool_configs_page("", 10); });
    REQUIRE(pools.size() == 2);
    CHECK(pools[0].pool == "us-east-1:a");
    CHECK(pools[0].cognito_streams);
    CHECK(pools[1].pool == "us-east-1:z");
    CHECK(pools[1].events.size() == 1);
    CHECK(s->read([](read_view& v) { return v.pool_configs_page("us-east-1:a", 10); }).size() == 1);
}
