// UpdateRecords and DeleteDataset feeding the outbox, and the Sync Trigger end to end below HTTP
// (PROTOCOL.md 5.4, 7.3; api/change_event.hpp).
#include <catch2/catch.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "api/ops/operations.hpp"
#include "tests/unit/api/op_fixture.hpp"

using namespace cogsync;
using namespace cogsync::testing;

namespace {

const std::string arn = "arn:aws:lambda:us-east-1:123456789012:function:f";

void set_trigger(op_fixture& f) {
    REQUIRE(f.send("POST", pool_path + "/events", R"({"Events":{"SyncTrigger":")" + arn + "\"}}").status == 200);
}

// The reply a function sends back after editing the event's datasetRecords.
std::string with_records(const std::string& event, const std::string& records_json) {
    rapidjson::Document d;
    d.Parse(event.c_str());
    rapidjson::Document records(&d.GetAllocator());
    records.Parse(records_json.c_str());
    d["datasetRecords"].CopyFrom(records, d.GetAllocator());
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    d.Accept(w);
    return buf.GetString();
}

}  // namespace

TEST_CASE("UpdateRecords appends one update event and wakes the outbox after commit") {
    op_fixture f;
    f.configure_streams("ENABLED");  // a pool that hears changes
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"gone","Value":"x","SyncCount":0}])").status == 200);
    auto r = f.update("ds", R"([{"Op":"replace","Key":"k","Value":"v","SyncCount":0,"DeviceLastModifiedDate":1699999999},
                               {"Op":"remove","Key":"gone","SyncCount":1}])",
                      R"(,"DeviceId":"dev1")");
    REQUIRE(r.status == 200);
    CHECK(f.outbox.notified == 2);
    auto events = f.events();
    REQUIRE(events.size() == 2);
    CHECK(events[1].kind == "update");
    CHECK(events[1].pool == pool);
    CHECK(events[1].identity == identity);
    CHECK(events[1].dataset == "ds");
    auto d = op_fixture::json({200, {}, events[1].payload});
    CHECK(std::string(d["type"].GetString()) == "update");
    CHECK(std::string(d["deviceId"].GetString()) == "dev1");
    CHECK(d["syncCount"].GetInt64() == 2);
    CHECK(d["lastModifiedDate"].GetInt64() == f.now);
    REQUIRE(d["records"].Size() == 2);
    CHECK(d["records"][0]["deviceLastModifiedDate"].GetInt64() == 1699999999000);
    CHECK(std::string(d["records"][1]["op"].GetString()) == "remove");
}

TEST_CASE("writes to a pool without PushSync or an enabled stream append no event") {
    op_fixture f;
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"v","SyncCount":0}])").status == 200);
    f.configure_streams("DISABLED");
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"w","SyncCount":1}])").status == 200);
    REQUIRE(f.send("DELETE", identity_path + "/datasets/ds").status == 200);
    CHECK(f.events().empty());
    CHECK(f.outbox.notified == 0);

    f.configure_streams("ENABLED");
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"v","SyncCount":0}])").status == 200);
    CHECK(f.events().size() == 1);
}

TEST_CASE("refused and empty writes append nothing") {
    op_fixture f;
    f.configure_streams("ENABLED");  // a pool that hears changes
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"v","SyncCount":0}])").status == 200);
    CHECK(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"w","SyncCount":0}])").status == 409);
    CHECK(f.update("ds", "[]").status == 200);
    CHECK(f.send("DELETE", identity_path + "/datasets/never").status == 404);
    CHECK(f.events().size() == 1);
    CHECK(f.outbox.notified == 1);
}

TEST_CASE("DeleteDataset appends a delete event with the deletion's count") {
    op_fixture f;
    f.configure_streams("ENABLED");  // a pool that hears changes
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"v","SyncCount":0}])").status == 200);
    f.now += 1000;
    REQUIRE(f.send("DELETE", identity_path + "/datasets/ds").status == 200);
    CHECK(f.outbox.notified == 2);
    auto events = f.events();
    REQUIRE(events.size() == 2);
    CHECK(events[1].kind == "delete");
    auto d = op_fixture::json({200, {}, events[1].payload});
    CHECK(std::string(d["type"].GetString()) == "delete");
    CHECK(d["syncCount"].GetInt64() == 2);
    CHECK(d["lastModifiedDate"].GetInt64() == f.now);
    CHECK(d["records"].Size() == 0);
}

TEST_CASE("the Sync Trigger sees the dataset and its reply is what gets written") {
    op_fixture f;
    f.configure_streams("ENABLED");  // a pool that hears changes
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"a","Value":"1","SyncCount":0},
                               {"Op":"replace","Key":"b","Value":"2","SyncCount":0}])").status == 200);
    set_trigger(f);
    f.ctx.region = "eu-west-2";
    f.trigger.reply = [](const std::string& event) {
        return with_records(event, R"({"a":{"oldValue":"1","newValue":"A!","op":"replace"},
                                      "b":{"oldValue":"2","newValue":"2","op":"replace"},
                                      "added":{"oldValue":null,"newValue":"new","op":"replace"}})");
    };
    auto r = f.update("ds", R"([{"Op":"replace","Key":"a","Value":"x","SyncCount":1}])");
    REQUIRE(r.status == 200);
    REQUIRE(f.trigger.calls.size() == 1);
    CHECK(f.trigger.calls[0].first == arn);
    auto sent = op_fixture::json({200, {}, f.trigger.calls[0].second});
    CHECK(std::string(sent["datasetRecords"]["a"]["newValue"].GetString()) == "x");
    CHECK(std::string(sent["datasetRecords"]["b"]["oldValue"].GetString()) == "2");
    CHECK(std::string(sent["region"].GetString()) == "eu-west-2");  // the configured region

    auto d = op_fixture::json(r);
    REQUIRE(d["Records"].Size() == 2);  // a (rewritten) and the added key; b unchanged is not written
    CHECK(std::string(d["Records"][0]["Key"].GetString()) == "a");
    CHECK(std::string(d["Records"][0]["Value"].GetString()) == "A!");
    CHECK(d["Records"][0]["SyncCount"].GetInt64() == 2);
    CHECK(std::string(d["Records"][1]["Key"].GetString()) == "added");
    CHECK(d["Records"][1]["SyncCount"].GetInt64() == 2);
    auto b = f.store.read([](storage::read_view& v) { return v.find_record({pool, identity, "ds"}, "b"); });
    REQUIRE(b);
    CHECK(b->sync_count == 1);
    CHECK(f.events().size() == 2);
}

TEST_CASE("a bad trigger reply writes nothing and keeps the token usable") {
    op_fixture f;
    f.configure_streams("ENABLED");  // a pool that hears changes
    set_trigger(f);
    f.trigger.reply = [](const std::string&) { return std::string("{\"version\":2}"); };
    auto token = f.session("ds");
    auto body = R"({"SyncSessionToken":")" + token + R"(","RecordPatches":[{"Op":"replace","Key":"a","Value":"x","SyncCount":0}]})";
    auto r = f.send("POST", identity_path + "/datasets/ds", body);
    CHECK(r.status == 400);
    CHECK(op_fixture::error_type(r) == "InvalidLambdaFunctionOutputException");
    CHECK(f.events().empty());
    CHECK(f.store.read([](storage::read_view& v) { return v.load_dataset({pool, identity, "ds"}).state; }) ==
          storage::dataset_state::absent);
    f.trigger.reply = [](const std::string& e) { return e; };
    CHECK(f.send("POST", identity_path + "/datasets/ds", body).status == 200);
}

TEST_CASE("a stale count is refused before the trigger is invoked") {
    op_fixture f;
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"a","Value":"1","SyncCount":0}])").status == 200);
    set_trigger(f);
    CHECK(f.update("ds", R"([{"Op":"replace","Key":"a","Value":"2","SyncCount":0}])").status == 409);
    CHECK(f.trigger.calls.empty());
}

TEST_CASE("a write that lands while the trigger runs makes the batch a 409") {
    op_fixture f;
    f.configure_streams("ENABLED");  // a pool that hears changes
    set_trigger(f);
    f.trigger.reply = [&](const std::string& event) {
        storage::testing::must_write(f.store, [](storage::write_view& v) {
            storage::dataset d = v.load_dataset({pool, identity, "ds"});
            d.state = storage::dataset_state::live;
            d.sync_count = 1;
            v.save_dataset(d);
            v.put_record(d.id, {"a", "sneaky", 1, 0, "other", 0});
        });
        return event;
    };
    CHECK(f.update("ds", R"([{"Op":"replace","Key":"a","Value":"x","SyncCount":0}])").status == 409);
    CHECK(f.events().empty());
}

TEST_CASE("no invoker for a configured trigger is InvalidLambdaFunctionOutput naming it") {
    op_fixture f;
    set_trigger(f);
    f.ctx.trigger = nullptr;
    auto r = f.update("ds", R"([{"Op":"replace","Key":"a","Value":"x","SyncCount":0}])");
    CHECK(op_fixture::error_type(r) == "InvalidLambdaFunctionOutputException");
    CHECK_THAT(std::string(op_fixture::json(r)["message"].GetString()), Catch::Contains(arn));
}

TEST_CASE("developer callers never invoke the Sync Trigger") {
    op_fixture f;
    f.configure_streams("ENABLED");  // a pool that hears changes
    set_trigger(f);
    api::request req;
    req.method = "POST";
    req.body = R"({"SyncSessionToken":")" + f.session("ds") +
               R"(","RecordPatches":[{"Op":"replace","Key":"a","Value":"x","SyncCount":0}]})";
    api::call c{req, {{"IdentityPoolId", pool}, {"IdentityId", identity}, {"DatasetName", "ds"}}, {}, "dev-key", {}};
    c.who.kind = api::auth::caller::kind::developer;
    auto r = api::run_to_answer(req, f.ctx, api::ops::update_records(c, f.ctx));
    CHECK(r.status == 200);
    CHECK(f.trigger.calls.empty());
    CHECK(f.events().size() == 1);
}
