// The Sync Trigger contract as pure functions (api/sync_trigger.hpp, PROTOCOL.md 7.3).
#include <catch2/catch.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "api/sync_trigger.hpp"
#include "tests/support/api_error_code.hpp"

using namespace cogsync;
using namespace cogsync::api;
using cogsync::testing::code_of;

namespace {

trigger_snapshot snapshot() {
    trigger_snapshot s{{"us-east-1:p", "us-east-1:i", "ds"}, {}, "ap-south-1"};
    s.records["a"] = {"a", "1", 3, 0, "me", 0};
    s.records["b"] = {"b", "2", 4, 0, "me", 0};
    s.records["dead"] = {"dead", std::nullopt, 5, 0, "me", 0};
    return s;
}

record_patch put(std::string key, std::string value, int64_t count) { return {false, key, value, count, 1234}; }
record_patch del(std::string key, int64_t count) { return {true, key, std::nullopt, count, {}}; }

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str());
    return d;
}

std::string to_text(const rapidjson::Document& d) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    d.Accept(w);
    return buf.GetString();
}

// A reply made by editing the sent event.
std::string edited(const std::string& event, const std::function<void(rapidjson::Document&)>& edit) {
    auto d = parse(event);
    edit(d);
    return to_text(d);
}

void set_entry(rapidjson::Document& d, const char* key, const char* new_value, const char* op) {
    auto& a = d.GetAllocator();
    auto& records = d["datasetRecords"];
    rapidjson::Value entry(rapidjson::kObjectType);
    entry.AddMember("oldValue", rapidjson::Value(), a);
    entry.AddMember("newValue", new_value ? rapidjson::Value(new_value, a) : rapidjson::Value(), a);
    entry.AddMember("op", rapidjson::Value(op, a), a);
    records.RemoveMember(key);
    records.AddMember(rapidjson::Value(key, a), entry, a);
}

}  // namespace

TEST_CASE("the event lists every live record and every patched key") {
    auto d = parse(sync_trigger_event(snapshot(), {put("a", "x", 3), del("c", 0), put("a", "y", 3)}));
    CHECK(d["version"].GetInt() == 2);
    CHECK(std::string(d["eventType"].GetString()) == "SyncTrigger");
    CHECK(std::string(d["region"].GetString()) == "ap-south-1");
    CHECK(std::string(d["identityPoolId"].GetString()) == "us-east-1:p");
    CHECK(std::string(d["identityId"].GetString()) == "us-east-1:i");
    CHECK(std::string(d["datasetName"].GetString()) == "ds");
    const auto& r = d["datasetRecords"];
    CHECK(r.MemberCount() == 3);  // a, b, c; the tombstone "dead" is not a record of the dataset
    CHECK(std::string(r["a"]["oldValue"].GetString()) == "1");
    CHECK(std::string(r["a"]["newValue"].GetString()) == "y");  // the last patch of a key wins
    CHECK(std::string(r["a"]["op"].GetString()) == "replace");
    CHECK(std::string(r["b"]["oldValue"].GetString()) == "2");
    CHECK(std::string(r["b"]["newValue"].GetString()) == "2");
    CHECK(std::string(r["b"]["op"].GetString()) == "replace");
    CHECK(r["c"]["oldValue"].IsNull());
    CHECK(r["c"]["newValue"].IsNull());
    CHECK(std::string(r["c"]["op"].GetString()) == "remove");
}

TEST_CASE("an unchanged reply yields the client's patches") {
    std::vector<record_patch> patches{put("a", "x", 3), del("c", 0)};
    auto event = sync_trigger_event(snapshot(), patches);
    auto out = apply_trigger_reply(snapshot(), patches, event, event);
    REQUIRE(out.size() == 2);
    CHECK(out[0].key == "a");
    CHECK(out[0].value == "x");
    CHECK(out[0].sync_count == 3);
    CHECK(out[0].device_last_modified_ms == 1234);
    CHECK(out[1].key == "c");
    CHECK(out[1].remove);
}

TEST_CASE("the reply rewrites, removes, adds, and leaves missing keys unchanged") {
    std::vector<record_patch> patches{put("a", "x", 3), put("z", "new", 0)};
    auto event = sync_trigger_event(snapshot(), patches);
    auto reply = edited(event, [](rapidjson::Document& d) {
        set_entry(d, "a", "X!", "replace");       // rewrite a patched key
        set_entry(d, "b", nullptr, "replace");    // newValue null removes an untouched key
        set_entry(d, "added", "hello", "replace");
        set_entry(d, "never", nullptr, "remove");  // removing what is not there: nothing to write
        d["datasetRecords"].RemoveMember("z");     // a patched key missing: left unchanged
    });
    auto out = apply_trigger_reply(snapshot(), patches, event, reply);
    REQUIRE(out.size() == 3);
    CHECK(out[0].key == "a");
    CHECK(out[0].value == "X!");
    CHECK(out[0].sync_count == 3);
    CHECK(out[1].key == "added");
    CHECK(out[1].value == "hello");
    CHECK(out[1].sync_count == 0);
    CHECK(out[2].key == "b");
    CHECK(out[2].remove);
    CHECK_FALSE(out[2].value);
    CHECK(out[2].sync_count == 4);  // re-checked against the record as read
}

TEST_CASE("op remove wins over a newValue, and a tombstone can be revived") {
    std::vector<record_patch> patches{put("a", "x", 3)};
    auto event = sync_trigger_event(snapshot(), patches);
    auto reply = edited(event, [](rapidjson::Document& d) {
        set_entry(d, "a", "still", "remove");
        set_entry(d, "dead", "alive", "replace");
    });
    auto out = apply_trigger_reply(snapshot(), patches, event, reply);
    REQUIRE(out.size() == 2);
    CHECK(out[0].remove);
    CHECK(out[1].key == "dead");
    CHECK(out[1].value == "alive");
    CHECK(out[1].sync_count == 5);
}

TEST_CASE("malformed or tampered replies are InvalidLambdaFunctionOutput") {
    std::vector<record_patch> patches{put("a", "x", 3)};
    auto event = sync_trigger_event(snapshot(), patches);
    auto rejects = [&](const std::string& reply) {
        return code_of([&] { apply_trigger_reply(snapshot(), patches, event, reply); }) ==
               error_code::invalid_lambda_function_output;
    };
    CHECK(rejects("not json"));
    CHECK(rejects("[1,2]"));
    CHECK(rejects("{}"));
    CHECK(rejects(edited(event, [](auto& d) { d["identityId"].SetString("us-east-1:other"); })));
    CHECK(rejects(edited(event, [](auto& d) { d["version"].SetInt(3); })));
    CHECK(rejects(edited(event, [](auto& d) { d.RemoveMember("region"); })));
    CHECK(rejects(edited(event, [](auto& d) { d.AddMember("extra", 1, d.GetAllocator()); })));
    CHECK(rejects(edited(event, [](auto& d) { d["datasetRecords"].SetArray(); })));
    CHECK(rejects(edited(event, [](auto& d) { d["datasetRecords"]["a"].SetString("x"); })));
    CHECK(rejects(edited(event, [](auto& d) { d["datasetRecords"]["a"]["newValue"].SetInt(5); })));
    CHECK(rejects(edited(event, [](auto& d) { d["datasetRecords"]["a"]["op"].SetString("upsert"); })));
}

TEST_CASE("a reply nested deeper than the JSON depth limit is refused, not followed") {
    std::vector<record_patch> patches{put("a", "x", 3)};
    auto event = sync_trigger_event(snapshot(), patches);
    try {
        apply_trigger_reply(snapshot(), patches, event, R"({"a":)" + std::string(1000000, '['));
        FAIL("expected an error");
    } catch (const api_error& e) {
        CHECK(e.code() == error_code::invalid_lambda_function_output);
        CHECK_THAT(e.what(), Catch::Contains("nested deeper"));
    }
}

TEST_CASE("run_sync_trigger without an invoker names the function") {
    try {
        run_sync_trigger(nullptr, "arn:aws:lambda:us-east-1:1:function:f", snapshot(), {put("a", "x", 3)});
        FAIL("expected an error");
    } catch (const api_error& e) {
        CHECK(e.code() == error_code::invalid_lambda_function_output);
        CHECK_THAT(e.what(), Catch::Contains("arn:aws:lambda:us-east-1:1:function:f"));
    }
}
