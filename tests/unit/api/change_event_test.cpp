// The outbox payload the server side parses (api/change_event.hpp).
#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "api/change_event.hpp"

using namespace cogsync;

namespace {

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str());
    REQUIRE(d.IsObject());
    return d;
}

storage::dataset dataset_at(int64_t count) {
    storage::dataset d;
    d.id = {"us-east-1:p", "us-east-1:i", "ds"};
    d.state = storage::dataset_state::live;
    d.sync_count = count;
    d.last_modified_ms = 1700000000123;
    return d;
}

}  // namespace

TEST_CASE("an update event carries the records written, in milliseconds") {
    std::vector<storage::record> written = {{"k", "v", 9, 1700000000123, "me", 1699999999000},
                                            {"gone", std::nullopt, 9, 1700000000123, "me", 1700000000123}};
    auto d = parse(api::update_event(dataset_at(9), written, std::string("dev1")));
    CHECK(std::string(d["type"].GetString()) == "update");
    CHECK(std::string(d["identityPoolId"].GetString()) == "us-east-1:p");
    CHECK(std::string(d["identityId"].GetString()) == "us-east-1:i");
    CHECK(std::string(d["datasetName"].GetString()) == "ds");
    CHECK(d["syncCount"].GetInt64() == 9);
    CHECK(std::string(d["deviceId"].GetString()) == "dev1");
    CHECK(d["lastModifiedDate"].IsInt64());
    CHECK(d["lastModifiedDate"].GetInt64() == 1700000000123);
    const auto& records = d["records"];
    REQUIRE(records.Size() == 2);
    CHECK(std::string(records[0]["key"].GetString()) == "k");
    CHECK(std::string(records[0]["value"].GetString()) == "v");
    CHECK(records[0]["syncCount"].GetInt64() == 9);
    CHECK(records[0]["lastModifiedDate"].GetInt64() == 1700000000123);
    CHECK(records[0]["deviceLastModifiedDate"].GetInt64() == 1699999999000);
    CHECK(std::string(records[0]["op"].GetString()) == "replace");
    CHECK_FALSE(records[1].HasMember("value"));
    CHECK(std::string(records[1]["op"].GetString()) == "remove");
}

TEST_CASE("deviceId is present only when the writer sent one") {
    auto d = parse(api::update_event(dataset_at(1), {}, std::nullopt));
    CHECK_FALSE(d.HasMember("deviceId"));
    CHECK(d["records"].Size() == 0);
}

TEST_CASE("a delete event has the deletion's count and no records") {
    auto deleted = dataset_at(5);
    deleted.state = storage::dataset_state::deleted;
    deleted.deleted_at = 5;
    auto d = parse(api::delete_event(deleted));
    CHECK(std::string(d["type"].GetString()) == "delete");
    CHECK(d["syncCount"].GetInt64() == 5);
    CHECK(std::string(d["datasetName"].GetString()) == "ds");
    CHECK(d["lastModifiedDate"].GetInt64() == 1700000000123);
    CHECK(d["records"].IsArray());
    CHECK(d["records"].Size() == 0);
}

TEST_CASE("a bulk publish event names only its type and pool") {
    auto d = parse(api::bulk_publish_event("us-east-1:p"));
    CHECK(d.MemberCount() == 2);
    CHECK(std::string(d["type"].GetString()) == "bulk_publish");
    CHECK(std::string(d["identityPoolId"].GetString()) == "us-east-1:p");
}

TEST_CASE("outbox entries carry the ids the outbox deliverer routes on") {
    auto e = api::outbox_entry("update", {"p", "i", "ds"}, "{}", 42);
    CHECK(e.pool == "p");
    CHECK(e.identity == "i");
    CHECK(e.dataset == "ds");
    CHECK(e.kind == "update");
    CHECK(e.payload == "{}");
    CHECK(e.created_ms == 42);
}
