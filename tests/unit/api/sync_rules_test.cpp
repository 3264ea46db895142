#include <catch2/catch.hpp>
#include <map>

#include "api/api_error.hpp"
#include "tests/support/api_error_code.hpp"
#include "api/sync_rules.hpp"

using namespace cogsync;
using namespace cogsync::api;
using cogsync::testing::code_of;
using storage::dataset_state;

namespace {

struct fixture {
    storage::dataset current{{"us-east-1:1", "us-east-1:2", "ds"}};
    std::map<std::string, storage::record> records;
    sync_limits limits{};
    int64_t live = 0;

    record_lookup lookup() {
        return [this](const std::string& k) -> std::optional<storage::record> {
            auto it = records.find(k);
            if (it == records.end()) return std::nullopt;
            return it->second;
        };
    }
    update_plan apply(const std::vector<record_patch>& patches) {
        auto outcome = plan_update(current, lookup(), [this] { return live; }, patches, limits, "me", 1000);
        if (auto* refused = std::get_if<api_error>(&outcome)) throw *refused;
        auto plan = std::get<update_plan>(std::move(outcome));
        if (current.state != dataset_state::live) ++live;
        current = plan.next;
        for (auto& r : plan.written) records[r.key] = r;
        return plan;
    }
};

record_patch put(std::string key, std::string value, int64_t count) { return {false, key, value, count, {}}; }
record_patch del(std::string key, int64_t count) { return {true, key, std::nullopt, count, {}}; }

}  // namespace

TEST_CASE("one successful update bumps the dataset count by exactly one for every record") {
    fixture f;
    auto plan = f.apply({put("a", "1", 0), put("b", "2", 0), put("c", "3", 0)});
    CHECK(plan.next.sync_count == 1);
    for (auto& r : plan.written) CHECK(r.sync_count == 1);
    plan = f.apply({put("a", "x", 1), put("d", "4", 0)});
    CHECK(plan.next.sync_count == 2);
    CHECK(plan.written.size() == 2);
    CHECK(plan.written[0].sync_count == 2);
    CHECK(plan.next.num_records == 4);
    CHECK(plan.next.data_storage == 2 + 2 + 2 + 2);
}

TEST_CASE("a stale count refuses the whole batch with AWS's message") {
    fixture f;
    f.apply({put("a", "1", 0)});
    try {
        f.apply({put("b", "2", 0), put("a", "2", 0)});
        FAIL("expected a conflict");
    } catch (const api_error& e) {
        CHECK(e.code() == error_code::resource_conflict);
        CHECK(e.status() == 409);
        CHECK(std::string(e.what()) == "Current SyncCount for: a is: 1 not: 0");
    }
    CHECK(f.records.count("b") == 0);
    CHECK(f.current.sync_count == 1);
}

TEST_CASE("tombstones keep their count, are tallied apart from live records, and can be re-added") {
    fixture f;
    f.apply({put("a", "12345", 0)});
    auto plan = f.apply({del("a", 1)});
    REQUIRE(plan.written.size() == 1);
    CHECK_FALSE(plan.written[0].value);
    CHECK(plan.written[0].sync_count == 2);
    CHECK(plan.next.num_records == 0);
    CHECK(plan.next.data_storage == 0);
    CHECK(plan.next.tombstones == 1);
    CHECK(plan.next.tombstone_bytes == 1);
    CHECK(code_of([&] { f.apply({put("a", "x", 0)}); }) == error_code::resource_conflict);
    plan = f.apply({put("a", "x", 2)});
    CHECK(plan.next.num_records == 1);
    CHECK(plan.next.data_storage == 2);
    CHECK(plan.next.tombstones == 0);
    CHECK(plan.next.tombstone_bytes == 0);
}

TEST_CASE("a remove of a key without a record stores nothing and answers SyncCount 0") {
    fixture f;
    f.apply({put("a", "1", 0)});
    auto plan = f.apply({del("never", 0), put("b", "2", 0), {false, "none", std::nullopt, 0, {}}});
    CHECK(plan.next.sync_count == 2);  // still one successful call
    REQUIRE(plan.written.size() == 1);
    CHECK(plan.written[0].key == "b");
    REQUIRE(plan.unstored.size() == 2);
    CHECK(plan.unstored[0].key == "never");
    CHECK(plan.unstored[1].key == "none");
    for (const auto& r : plan.unstored) {
        CHECK_FALSE(r.value);
        CHECK(r.sync_count == 0);
        CHECK(r.last_modified_by == "me");
    }
    CHECK(plan.next.tombstones == 0);
    CHECK(plan.next.tombstone_bytes == 0);
    CHECK(f.records.count("never") == 0);
    // A client that stored the answer's count re-adds the key with it.
    CHECK(f.apply({put("never", "back", 0)}).written[0].sync_count == 3);
    // Added and removed in one call: nothing was there before, so nothing is stored.
    plan = f.apply({put("brief", "1", 0), del("brief", 0)});
    CHECK(plan.written.empty());
    REQUIRE(plan.unstored.size() == 1);
    CHECK(plan.next.sync_count == 4);
    // Every patch is a phantom remove on a dataset that does not exist yet: it is still created.
    fixture fresh;
    plan = fresh.apply({del("x", 0)});
    CHECK(plan.next.state == dataset_state::live);
    CHECK(plan.next.sync_count == 1);
    CHECK(plan.written.empty());
}

TEST_CASE("a remove with a stale count refuses the whole batch") {
    fixture f;
    f.apply({put("a", "1", 0)});
    f.apply({put("a", "2", 1)});
    CHECK(code_of([&] { f.apply({put("b", "1", 0), del("a", 1)}); }) == error_code::resource_conflict);
    CHECK(f.records.count("b") == 0);
    CHECK(f.records.at("a").value == "2");
    CHECK(f.current.sync_count == 2);
}

TEST_CASE("tombstones are bounded: their count, and their key bytes with the live bytes") {
    fixture f;
    f.limits = {20, 2, 16};
    f.apply({put("a", "1", 0), put("b", "1", 0)});
    f.apply({del("a", 1), del("b", 1)});
    f.apply({put("c", "1", 0)});
    CHECK(code_of([&] { f.apply({del("c", 3)}); }) == error_code::limit_exceeded);  // a third tombstone
    CHECK(f.current.tombstones == 2);
    f.apply({put("a", "1", 2)});  // re-adding a removed key frees its slot
    f.apply({del("c", 3)});
    CHECK(f.current.tombstones == 2);
    // 16 bytes: live "a1" (2) + "dddddddddd" "x" (11) + removed keys "b", "c" (2) = 15 fits;
    // "a123" would make 17, which only the removed keys' bytes push past the limit.
    f.apply({put("dddddddddd", "x", 0)});
    CHECK_THROWS_WITH(f.apply({put("a", "123", 4)}), Catch::Contains("keys of removed records count too"));
    f.apply({put("a", "12", 4)});
}

TEST_CASE("a dataset already beyond a limit may shrink but not grow") {
    fixture f;
    f.apply({put("a", "1", 0), put("b", "1", 0), put("c", "1", 0)});
    f.apply({del("a", 1), del("b", 1), del("c", 1)});
    f.limits = {20, 2, 1048576};  // lowered since: 3 tombstones, 2 allowed
    f.apply({put("live", "1", 0)});
    CHECK(code_of([&] { f.apply({del("live", 3)}); }) == error_code::limit_exceeded);
    f.apply({put("a", "back", 2)});
    CHECK(f.current.tombstones == 2);
}

TEST_CASE("a replace without a value is a remove; duplicate keys: last wins, all checked before") {
    fixture f;
    f.apply({put("k", "v", 0)});
    auto plan = f.apply({{false, "k", std::nullopt, 1, {}}});
    REQUIRE(plan.written.size() == 1);
    CHECK_FALSE(plan.written[0].value);
    plan = f.apply({put("d", "1", 0), put("d", "2", 0)});
    REQUIRE(plan.written.size() == 1);
    CHECK(*plan.written[0].value == "2");
    CHECK(plan.next.num_records == 1);
    CHECK(code_of([&] { f.apply({put("d", "3", 2), put("d", "4", 3)}); }) == error_code::resource_conflict);
}

TEST_CASE("device dates are kept as sent, or now when absent") {
    fixture f;
    auto plan = f.apply({{false, "a", "v", 0, 1577934245678}, put("b", "v", 0)});
    CHECK(plan.written[0].device_last_modified_ms == 1577934245678);
    CHECK(plan.written[1].device_last_modified_ms == 1000);
    CHECK(plan.written[0].last_modified_by == "me");
}

TEST_CASE("limits: records, bytes, datasets") {
    fixture f;
    f.limits = {2, 3, 10};
    CHECK(code_of([&] { f.apply({put("a", "1", 0), put("b", "2", 0), put("c", "3", 0), put("d", "4", 0)}); }) ==
          error_code::limit_exceeded);
    CHECK(code_of([&] { f.apply({put("big", "12345678", 0)}); }) == error_code::limit_exceeded);
    f.apply({put("ok", "12345678", 0)});  // exactly 10 bytes
    f.live = 2;
    fixture other;
    other.limits = f.limits;
    other.live = 2;
    CHECK(code_of([&] { other.apply({put("a", "1", 0)}); }) == error_code::limit_exceeded);
    CHECK(f.apply({del("ok", 1)}).next.data_storage == 0);  // a live dataset is not counted twice
}

TEST_CASE("delete takes the next count; re-creation continues after it") {
    fixture f;
    f.apply({put("a", "1", 0)});
    f.apply({put("a", "2", 1)});
    auto deleted = plan_delete(f.current, "me", 2000);
    CHECK(deleted.state == dataset_state::deleted);
    CHECK(deleted.sync_count == 3);
    CHECK(deleted.deleted_at == 3);
    CHECK(code_of([&] { plan_delete(deleted, "me", 1); }) == error_code::resource_not_found);
    f.current = deleted;
    f.records.clear();
    auto plan = f.apply({put("a", "new", 0)});
    CHECK(plan.next.sync_count == 4);
    CHECK(plan.next.creation_ms == 1000);
}

TEST_CASE("list windows: exclusive lastSyncCount, missing and deleted datasets") {
    storage::dataset d{{"p", "i", "n"}};
    auto absent = plan_list(d, 5);
    CHECK_FALSE(absent.exists);
    CHECK(absent.dataset_sync_count == 0);
    CHECK_FALSE(absent.deleted_after);

    d.state = dataset_state::live;
    d.sync_count = 7;
    auto w = plan_list(d, 3);
    CHECK(w.exists);
    CHECK(w.after_sync_count == 3);
    CHECK(w.dataset_sync_count == 7);
    CHECK(plan_list(d, 7).after_sync_count == 7);
    try {
        plan_list(d, 8);
        FAIL("expected an error");
    } catch (const api_error& e) {
        CHECK(std::string(e.what()) == "No such SyncCount: 8 exists for this Dataset");
        CHECK(e.status() == 400);
    }

    d.deleted_at = 5;  // deleted at 5, re-created since
    auto after_delete = plan_list(d, 4);
    CHECK(after_delete.deleted_after);
    CHECK(after_delete.after_sync_count == 0);
    CHECK_FALSE(plan_list(d, 0).deleted_after);
    CHECK_FALSE(plan_list(d, 6).deleted_after);

    d.state = dataset_state::deleted;
    CHECK(plan_list(d, 4).deleted_after);
    CHECK_FALSE(plan_list(d, 4).exists);
    CHECK_FALSE(plan_list(d, 5).deleted_after);
    CHECK_FALSE(plan_list(d, 100).exists);  // never an error for a deleted dataset
}

TEST_CASE("a refused batch is an outcome value, not an exception") {
    fixture f;
    f.apply({put("a", "1", 0)});
    update_outcome outcome = update_plan{};
    REQUIRE_NOTHROW(outcome = plan_update(f.current, f.lookup(), [] { return int64_t{1}; },
                                          {put("a", "2", 0)}, f.limits, "me", 2000));
    REQUIRE(std::holds_alternative<api_error>(outcome));
    CHECK(std::get<api_error>(outcome).code() == error_code::resource_conflict);
}

TEST_CASE("the live dataset count is asked only when the update creates the dataset") {
    fixture f;
    int asked = 0;
    auto count = [&] { ++asked; return int64_t{0}; };
    auto first = plan_update(f.current, f.lookup(), count, {put("a", "1", 0)}, f.limits, "me", 1000);
    CHECK(asked == 1);
    f.current = std::get<update_plan>(first).next;
    auto second = plan_update(f.current, f.lookup(), count, {put("b", "1", 0)}, f.limits, "me", 1000);
    CHECK(std::holds_alternative<update_plan>(second));
    CHECK(asked == 1);
}
