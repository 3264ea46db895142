// The export format's lines (api/transfer/): what the writer writes the reader reads back, each
// malformed or out-of-contract line is refused with its reason, and the loader's rules (a dataset
// loads whole or not at all, counts only move forward, a second import changes nothing).
#include <catch2/catch.hpp>

#include <map>

#include "api/transfer/export_lines.hpp"
#include "api/transfer/export_store.hpp"
#include "api/transfer/import_line.hpp"
#include "api/transfer/import_loader.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync;
using namespace cogsync::api::transfer;

namespace {

const storage::dataset_id ds{"us-east-1:0000aaaa", "us-east-1:1111bbbb", "profile"};

storage::dataset live_dataset(int64_t sync_count, int64_t records, int64_t bytes) {
    storage::dataset d;
    d.id = ds;
    d.state = storage::dataset_state::live;
    d.sync_count = sync_count;
    d.creation_ms = 1000;
    d.last_modified_ms = 2000;
    d.last_modified_by = "us-east-1:1111bbbb";
    d.num_records = records;
    d.data_storage = bytes;
    return d;
}

storage::record rec(std::string key, std::optional<std::string> value, int64_t sync_count) {
    return {std::move(key), std::move(value), sync_count, 3000, "writer", 2500};
}

std::string refusal(std::string_view line) {
    try {
        read_line(line);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

struct loader_run {
    storage::testing::temp_dir dir;
    storage::sqlite_store store{storage::testing::sqlite_options(dir, storage::durability::normal)};
    std::map<int64_t, std::string> refused;

    import_counts load(const std::vector<std::string>& lines, import_limits limits = {}) {
        refused.clear();
        import_loader l(store, limits, [&](int64_t n, const std::string& why) { refused[n] = why; });
        int64_t n = 0;
        l.add(++n, header_line(1, "test"));
        for (const auto& line : lines) l.add(++n, line);
        l.finish();
        return l.counts();
    }
    std::string exported() {
        std::string out;
        store.read([&](storage::read_view& v) {
            return export_store(v, "h", [&](const std::string& line) { out += line + "\n"; });
        });
        return out;
    }
};

}  // namespace

TEST_CASE("every kind of line reads back as written, NUL keys and tombstones included", "[transfer]") {
    const std::string key("k\0\xc3\xa9", 4);
    auto r = std::get<record_entry>(read_line(record_line(ds, rec(key, "v\"\n", 4))));
    CHECK(r.record.key == key);
    CHECK(r.record.value == "v\"\n");
    CHECK(r.record.sync_count == 4);
    CHECK(r.record.device_last_modified_ms == 2500);
    CHECK(r.dataset.name == "profile");
    CHECK_FALSE(std::get<record_entry>(read_line(record_line(ds, rec("gone", std::nullopt, 2)))).record.value);

    auto deleted = live_dataset(7, 0, 0);
    deleted.state = storage::dataset_state::deleted;
    deleted.deleted_at = 7;
    auto d = std::get<storage::dataset>(read_line(dataset_line(deleted)));
    CHECK(d.state == storage::dataset_state::deleted);
    CHECK(d.deleted_at == 7);
    CHECK(d.creation_ms == 1000);

    storage::pool_config c{ds.pool, storage::push_sync_config{{"arn:aws:sns:us-east-1:123:app/GCM/a"}, ""},
                           storage::cognito_streams_config{"s", "arn:aws:iam::123456789012:role/r", "ENABLED"},
                           {{"SyncTrigger", "arn:aws:lambda:us-east-1:123:function:f"}}};
    auto p = std::get<storage::pool_config>(read_line(pool_line(c)));
    REQUIRE(p.push_sync);
    CHECK(p.push_sync->application_arns == c.push_sync->application_arns);
    CHECK(p.push_sync->role_arn.empty());
    CHECK(p.cognito_streams->streaming_status == "ENABLED");
    CHECK(p.events == c.events);

    storage::device dev{"6f1c0000-0000-4000-8000-000000000001", ds.pool, ds.identity, "GCM", "tok"};
    CHECK(std::get<storage::device>(read_line(device_line(dev))).token == "tok");
    CHECK(std::get<storage::subscription>(read_line(subscription_line({ds, dev.device_id}))).device_id == dev.device_id);
    CHECK(read_header(header_line(42, "src")).created_ms == 42);
}

TEST_CASE("a line out of the format's contract is refused with its reason", "[transfer]") {
    auto line = [](std::string members) { return R"({"kind":"record","pool":"us-east-1:0000aaaa","identity":"us-east-1:1111bbbb","dataset":"profile",)" + members + "}"; };
    const std::string good = R"("key":"k","value":"v","sync_count":1,"last_modified_ms":1,"last_modified_by":"w","device_last_modified_ms":1)";
    CHECK(refusal(line(good)).empty());
    CHECK_THAT(refusal(R"({"kind":"widget"})"), Catch::Contains("unknown kind 'widget'"));
    CHECK_THAT(refusal("{\"kind\":"), Catch::StartsWith("malformed JSON"));
    CHECK_THAT(refusal("[1]"), Catch::Contains("not a JSON object"));
    CHECK_THAT(refusal("{\"kind\":\"record\",\"key\":\"\xff\"}"), Catch::StartsWith("invalid UTF-8"));
    CHECK_THAT(refusal(R"({"kind":"record","pool":"nocolon","identity":"us-east-1:1","dataset":"d"})"),
               Catch::Contains("pool"));
    CHECK_THAT(refusal(line(R"("key":"k","value":")" + std::string(1048576, 'x') + R"(","sync_count":1,"last_modified_ms":1,"last_modified_by":"w","device_last_modified_ms":1)")),
               Catch::Contains("value"));
    CHECK_THAT(refusal(line(R"("key":"","sync_count":1)")), Catch::Contains("key"));
    CHECK_THAT(refusal(line(R"("key":"k","value":1,"sync_count":1)")), Catch::Contains("'value' must be a string or null"));
    CHECK_THAT(refusal(line(R"("key":"k","value":"v","sync_count":0,"last_modified_ms":1)")), Catch::Contains("'sync_count' must be at least 1"));
    CHECK_THAT(refusal(line(R"("key":"k","value":"v","sync_count":1.5)")), Catch::Contains("sync_count"));
    CHECK_THAT(refusal(line(R"("key":"k","value":"v","last_modified_ms":1)")), Catch::Contains("missing member 'sync_count'"));
    auto live_past_delete = live_dataset(3, 0, 0);
    live_past_delete.deleted_at = 3;
    CHECK_THAT(refusal(dataset_line(live_past_delete)), Catch::Contains("above its deleted_at"));
    CHECK_THAT(refusal(R"({"kind":"device","pool":"us-east-1:0000aaaa","identity":"us-east-1:1111bbbb","device_id":"d","platform":"SMS","token":"t"})"),
               Catch::Contains("platform 'SMS'"));
    CHECK_THROWS_WITH(read_header(R"({"format":"cogsync-export","version":2})"), Catch::Contains("newer"));
    CHECK_THROWS_WITH(read_header(R"({"format":"other","version":1})"), Catch::Contains("not a header"));
}

TEST_CASE("a dataset loads with its records, and a second import changes nothing", "[transfer]") {
    loader_run run;
    const std::vector<std::string> lines = {dataset_line(live_dataset(3, 1, 2)), record_line(ds, rec("a", "b", 1)),
                                            record_line(ds, rec("gone", std::nullopt, 3))};
    auto first = run.load(lines);
    CHECK(run.refused.empty());
    CHECK(first.datasets == 1);
    CHECK(first.records == 2);
    const auto stored = run.exported();
    auto d = run.store.read([](storage::read_view& v) { return v.load_dataset(ds); });
    CHECK(d.tombstones == 1);
    CHECK(d.tombstone_bytes == 4);
    auto again = run.load(lines);
    CHECK(run.refused.empty());
    CHECK(again.unchanged == 3);
    CHECK(again.datasets == 0);
    CHECK(run.exported() == stored);
}

TEST_CASE("a dataset with a refused record line is not loaded at all", "[transfer]") {
    loader_run run;
    auto n = run.load({dataset_line(live_dataset(3, 2, 4)), record_line(ds, rec("a", "b", 1)), "{broken",
                       record_line(ds, rec("c", "d", 4))});
    CHECK_THAT(run.refused.at(4), Catch::StartsWith("malformed JSON"));
    CHECK_THAT(run.refused.at(5), Catch::Contains("above its dataset's 3"));
    CHECK_THAT(run.refused.at(2), Catch::Contains("not loaded: 2 of its record lines refused"));
    CHECK(n.refused == 4);
    CHECK(run.store.read([](storage::read_view& v) { return v.load_dataset(ds); }).state == storage::dataset_state::absent);
}

TEST_CASE("counts only move forward: newer replaces, older is refused", "[transfer]") {
    loader_run run;
    run.load({dataset_line(live_dataset(5, 1, 2)), record_line(ds, rec("a", "b", 5))});
    run.load({dataset_line(live_dataset(4, 1, 2)), record_line(ds, rec("x", "y", 4))});
    CHECK_THAT(run.refused.at(2), Catch::Contains("the store's sync count 5 is newer than the file's 4"));
    run.load({dataset_line(live_dataset(6, 1, 2)), record_line(ds, rec("x", "y", 6))});
    CHECK(run.refused.empty());
    auto keys = run.store.read([](storage::read_view& v) { return v.records_by_key(ds, nullptr, 10); });
    REQUIRE(keys.size() == 1);
    CHECK(keys[0].key == "x");
}

TEST_CASE("the server's limits hold for what is loaded", "[transfer]") {
    loader_run run;
    import_limits limits;
    limits.sync.max_records = 1;
    run.load({dataset_line(live_dataset(2, 2, 4)), record_line(ds, rec("a", "b", 1)), record_line(ds, rec("c", "d", 2))},
             limits);
    CHECK_THAT(run.refused.at(2), Catch::Contains("more than 1 live records, the limit"));
    CHECK_THAT(run.refused.at(2), Catch::Contains("not loaded"));
}

TEST_CASE("an unreadable line among a dataset's records keeps the dataset out, unless it names another kind",
          "[transfer]") {
    loader_run run;
    // Line 4 was meant to be a tombstone: loading the dataset without it would lose the removal.
    run.load({dataset_line(live_dataset(3, 1, 2)), record_line(ds, rec("a", "b", 1)), R"({"kind":"record","key":)"});
    CHECK_THAT(run.refused.at(2), Catch::Contains("1 of its record lines refused"));
    CHECK(run.store.read([](storage::read_view& v) { return v.load_dataset(ds); }).state == storage::dataset_state::absent);

    run.load({dataset_line(live_dataset(3, 1, 2)), record_line(ds, rec("a", "b", 1)), R"({"kind":"subscription"})"});
    CHECK(run.refused.size() == 1);
    CHECK_THAT(run.refused.at(4), Catch::Contains("missing member"));
    CHECK(run.store.read([](storage::read_view& v) { return v.load_dataset(ds); }).state == storage::dataset_state::live);
}

TEST_CASE("the record lines after a refused dataset line name that line", "[transfer]") {
    loader_run run;
    auto bad = live_dataset(1, 1, 2);
    bad.deleted_at = 1;
    run.load({dataset_line(bad), record_line(ds, rec("a", "b", 1)), record_line({ds.pool, ds.identity, "other"}, rec("a", "b", 1))});
    CHECK_THAT(run.refused.at(2), Catch::Contains("above its deleted_at"));
    CHECK(run.refused.at(3) == "follows line 2, a dataset line that was refused");
    CHECK(run.refused.at(4) == "follows line 2, a dataset line that was refused");
}

TEST_CASE("a stored pool configuration or device is never overwritten, an identical one is left alone", "[transfer]") {
    loader_run run;
    storage::pool_config c{ds.pool, std::nullopt,
                           storage::cognito_streams_config{"s", "arn:aws:iam::123456789012:role/r", "ENABLED"}, {}};
    storage::device dev{"6f1c0000-0000-4000-8000-000000000001", ds.pool, ds.identity, "GCM", "tok"};
    auto first = run.load({pool_line(c), device_line(dev), dataset_line(live_dataset(1, 0, 0)),
                           subscription_line({ds, dev.device_id})});
    CHECK(run.refused.empty());
    CHECK(first.unchanged == 0);
    auto again = run.load({pool_line(c), device_line(dev), subscription_line({ds, dev.device_id})});
    CHECK(run.refused.empty());
    CHECK(again.unchanged == 3);

    auto other = c;
    other.cognito_streams->streaming_status = "DISABLED";
    auto moved = dev;
    moved.device_id = "6f1c0000-0000-4000-8000-000000000002";
    auto retoken = dev;
    retoken.token = "new";
    run.load({pool_line(other), device_line(moved), device_line(retoken),
              subscription_line({{ds.pool, ds.identity, "absent"}, dev.device_id}),
              subscription_line({ds, "6f1c0000-0000-4000-8000-00000000000f"})});
    CHECK_THAT(run.refused.at(2), Catch::Contains("another configuration for it; not replaced"));
    CHECK_THAT(run.refused.at(3), Catch::Contains("its token is registered as device 6f1c0000-0000-4000-8000-000000000001"));
    CHECK_THAT(run.refused.at(4), Catch::Contains("registered with another platform or token"));
    CHECK_THAT(run.refused.at(5), Catch::Contains("no dataset"));
    CHECK_THAT(run.refused.at(6), Catch::Contains("is not registered to"));
    auto stored = run.store.read([](storage::read_view& v) { return v.load_pool_config(ds.pool); });
    CHECK(stored->cognito_streams->streaming_status == "ENABLED");
}

TEST_CASE("the limits across lines hold: live datasets and devices per identity", "[transfer]") {
    loader_run run;
    import_limits limits;
    limits.sync.max_datasets = 1;
    limits.max_devices = 1;
    auto second = live_dataset(1, 0, 0);
    second.id.name = "second";
    auto deleted = live_dataset(2, 0, 0);
    deleted.id.name = "deleted";
    deleted.state = storage::dataset_state::deleted;
    deleted.deleted_at = 2;
    storage::device a{"6f1c0000-0000-4000-8000-00000000000a", ds.pool, ds.identity, "GCM", "a"};
    storage::device b{"6f1c0000-0000-4000-8000-00000000000b", ds.pool, ds.identity, "GCM", "b"};
    run.load({device_line(a), device_line(b), dataset_line(live_dataset(1, 0, 0)), dataset_line(second),
              dataset_line(deleted)},
             limits);
    CHECK_THAT(run.refused.at(3), Catch::Contains("the identity has 1 devices, the limit"));
    CHECK_THAT(run.refused.at(5), Catch::Contains("the identity has 1 live datasets, the limit"));
    CHECK(run.refused.size() == 2);  // a deleted dataset is not a live one
}
