// Schema step 2: pool configuration, devices, subscriptions, bulk-publish state, the outbox and
// sink cursors (PROTOCOL.md 7).
#include <catch2/catch.hpp>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

pool_config full_config(const std::string& pool) {
    pool_config c;
    c.pool = pool;
    c.push_sync = push_sync_config{{"arn:aws:sns:us-east-1:1:app/GCM/b", "arn:aws:sns:us-east-1:1:app/APNS/a"},
                                   "arn:aws:iam::1:role/push"};
    c.cognito_streams = cognito_streams_config{"stream", "arn:aws:iam::1:role/streams", "ENABLED"};
    c.events = {{"SyncTrigger", "arn:aws:lambda:us-east-1:1:function:f"}};
    return c;
}

device make_device(std::string id, std::string identity = "us-east-1:0001", std::string token = "tok") {
    return {std::move(id), "us-east-1:pool", std::move(identity), "GCM", std::move(token)};
}

outbox_event make_event(std::string kind, std::string payload) {
    return {0, "us-east-1:pool", "us-east-1:0001", "profile", std::move(kind), std::move(payload), 42};
}

}  // namespace

TEST_CASE("a pool's configuration round-trips and is replaced whole", "[hooks]") {
    OPEN_EACH_BACKEND(s);
    CHECK_FALSE(s->read([](read_view& v) { return v.load_pool_config("us-east-1:pool"); }));

    must_write(*s, [](write_view& v) { v.save_pool_config(full_config("us-east-1:pool")); });
    auto c = s->read([](read_view& v) { return v.load_pool_config("us-east-1:pool"); });
    REQUIRE(c);
    REQUIRE(c->push_sync);
    CHECK(c->push_sync->application_arns == full_config("").push_sync->application_arns);  // order kept
    CHECK(c->push_sync->role_arn == "arn:aws:iam::1:role/push");
    REQUIRE(c->cognito_streams);
    CHECK(c->cognito_streams->stream_name == "stream");
    CHECK(c->cognito_streams->role_arn == "arn:aws:iam::1:role/streams");
    CHECK(c->cognito_streams->streaming_status == "ENABLED");
    CHECK(c->events == full_config("").events);

    pool_config only_streams = full_config("us-east-1:pool");
    only_streams.push_sync.reset();
    only_streams.events.clear();
    must_write(*s, [&](write_view& v) { v.save_pool_config(only_streams); });
    c = s->read([](read_view& v) { return v.load_pool_config("us-east-1:pool"); });
    REQUIRE(c);
    CHECK_FALSE(c->push_sync);
    CHECK(c->cognito_streams);
    CHECK(c->events.empty());
    CHECK_FALSE(s->read([](read_view& v) { return v.load_pool_config("us-east-1:other"); }));
}

TEST_CASE("an empty ApplicationArns list is still a configured PushSync", "[hooks]") {
    OPEN_EACH_BACKEND(s);
    pool_config c;
    c.pool = "p:1";
    c.push_sync = push_sync_config{{}, "arn:aws:iam::1:role/r"};
    must_write(*s, [&](write_view& v) { v.save_pool_config(c); });
    auto back = s->read([](read_view& v) { return v.load_pool_config("p:1"); });
    REQUIRE(back);
    REQUIRE(back->push_sync);
    CHECK(back->push_sync->application_arns.empty());
}

TEST_CASE("devices are found by id within their identity, and by token", "[hooks]") {
    OPEN_EACH_BACKEND(s);
    must_write(*s, [](write_view& v) {
        v.save_device(make_device("d1"));
        v.save_device(make_device("d2", "us-east-1:0002", "tok"));
    });
    s->read([](read_view& v) {
        auto d = v.find_device("us-east-1:pool", "us-east-1:0001", "d1");
        REQUIRE(d);
        CHECK(d->platform == "GCM");
        CHECK(d->token == "tok");
        CHECK_FALSE(v.find_device("us-east-1:pool", "us-east-1:0002", "d1"));  // someone else's device
        CHECK_FALSE(v.find_device("us-east-1:other", "us-east-1:0001", "d1"));
        auto by_token = v.find_device_by_token("us-east-1:pool", "us-east-1:0002", "GCM", "tok");
        REQUIRE(by_token);
        CHECK(by_token->device_id == "d2");
        CHECK_FALSE(v.find_device_by_token("us-east-1:pool", "us-east-1:0001", "ADM", "tok"));
        return 0;
    });
}

TEST_CASE("subscriptions are per dataset name and survive a dataset delete", "[hooks]") {
    OPEN_EACH_BACKEND(s);
    auto id = make_id();
    must_write(*s, [&](write_view& v) {
        v.save_device(make_device("d2", "us-east-1:0001", "t2"));
        v.save_device(make_device("d1"));
        v.save_dataset(make_dataset(id));
        v.subscribe(id, "d2");
        v.subscribe(id, "d1");
        v.subscribe(id, "d1");  // idempotent
        v.subscribe(make_id("other"), "d1");
    });
    auto subs = s->read([&](read_view& v) { return v.subscribers(id); });
    REQUIRE(subs.size() == 2);
    CHECK(subs[0].device_id == "d1");
    CHECK(subs[1].device_id == "d2");
    CHECK(s->read([&](read_view& v) { return v.is_subscribed(id, "d2"); }));

    must_write(*s, [&](write_view& v) {
        v.drop_records(id);
        v.save_dataset(make_dataset(id, dataset_state::deleted, 2));
    });
    CHECK(s->read([&](read_view& v) { return v.subscribers(id).size(); }) == 2);

    bool first = false, second = true;
    must_write(*s, [&](write_view& v) {
        first = v.unsubscribe(id, "d2");
        second = v.unsubscribe(id, "d2");
    });
    CHECK(first);
    CHECK_FALSE(second);
    CHECK_FALSE(s->read([&](read_view& v) { return v.is_subscribed(id, "d2"); }));
    CHECK(s->read([&](read_view& v) { return v.is_subscribed(make_id("other"), "d1"); }));
}

TEST_CASE("devices are counted per identity and subscribers per dataset", "[hooks]") {
    OPEN_EACH_BACKEND(s);
    auto id = make_id();
    must_write(*s, [&](write_view& v) {
        v.save_device(make_device("d1", "us-east-1:0001", "t1"));
        v.save_device(make_device("d2", "us-east-1:0001", "t2"));
        v.save_device(make_device("d1", "us-east-1:0001", "t1"));  // replaced, not added
        v.save_device(make_device("d3", "us-east-1:0002", "t3"));
        v.subscribe(id, "d1");
        v.subscribe(id, "d1");
        v.subscribe(id, "d2");
        v.subscribe(make_id("other"), "d1");
    });
    s->read([&](read_view& v) {
        CHECK(v.device_count("us-east-1:pool", "us-east-1:0001") == 2);
        CHECK(v.device_count("us-east-1:pool", "us-east-1:0002") == 1);
        CHECK(v.device_count("us-east-1:other", "us-east-1:0001") == 0);
        CHECK(v.subscriber_count(id) == 2);
        CHECK(v.subscriber_count(make_id("other")) == 1);
        CHECK(v.subscriber_count(make_id("none")) == 0);
        return 0;
    });
}

TEST_CASE("bulk publish state defaults to NOT_STARTED and round-trips", "[hooks]") {
    OPEN_EACH_BACKEND(s);
    auto state = s->read([](read_view& v) { return v.load_bulk_publish("p:1"); });
    CHECK(state.status == "NOT_STARTED");
    CHECK(state.start_ms == 0);
    must_write(*s, [](write_view& v) { v.save_bulk_publish("p:1", {"FAILED", 10, 0, "stream gone"}); });
    state = s->read([](read_view& v) { return v.load_bulk_publish("p:1"); });
    CHECK(state.status == "FAILED");
    CHECK(state.start_ms == 10);
    CHECK(state.failure == "stream gone");
    CHECK(s->read([](read_view& v) { return v.load_bulk_publish("p:2").status; }) == "NOT_STARTED");
}

TEST_CASE("outbox ids increase, pages come in id order, trimmed ids are never reused", "[hooks]") {
    OPEN_EACH_BACKEND(s);
    std::vector<int64_t> ids;
    must_write(*s, [&](write_view& v) {
        for (int i = 0; i < 5; ++i) ids.push_back(v.append_outbox(make_event("update", "{\"n\":" + std::to_string(i) + "}")));
    });
    for (std::size_t i = 1; i < ids.size(); ++i) CHECK(ids[i] > ids[i - 1]);

    auto page = s->read([&](read_view& v) { return v.outbox_page(ids[1], 2); });
    REQUIRE(page.size() == 2);
    CHECK(page[0].id == ids[2]);
    CHECK(page[0].payload == "{\"n\":2}");
    CHECK(page[0].kind == "update");
    CHECK(page[0].dataset == "profile");
    CHECK(page[0].created_ms == 42);
    CHECK(page[1].id == ids[3]);

    must_write(*s, [&](write_view& v) { v.trim_outbox(ids.back()); });
    CHECK(s->read([](read_view& v) { return v.outbox_page(0, SIZE_MAX).size(); }) == 0);
    int64_t next = 0;
    must_write(*s, [&](write_view& v) { next = v.append_outbox(make_event("delete", "{}")); });
    CHECK(next > ids.back());
}

TEST_CASE("a rolled-back write appends nothing to the outbox", "[hooks]") {
    OPEN_EACH_BACKEND(s);
    CHECK_FALSE(s->write([](write_view& v) {
        v.append_outbox(make_event("update", "{}"));
        return false;
    }));
    CHECK(s->read([](read_view& v) { return v.outbox_page(0, 10).size(); }) == 0);
}

TEST_CASE("sink cursors default to 0 and are overwritten", "[hooks]") {
    OPEN_EACH_BACKEND(s);
    CHECK(s->read([](read_view& v) { return v.sink_cursor("webhook"); }) == 0);
    must_write(*s, [](write_view& v) {
        v.set_sink_cursor("webhook", 7);
        v.set_sink_cursor("webhook", 9);
        v.set_sink_cursor("log", 3);
    });
    CHECK(s->read([](read_view& v) { return v.sink_cursor("webhook"); }) == 9);
    CHECK(s->read([](read_view& v) { return v.sink_cursor("log"); }) == 3);
}

TEST_CASE("live datasets of a pool come in (identity, name) order after a cursor", "[hooks]") {
    OPEN_EACH_BACKEND(s);
    must_write(*s, [](write_view& v) {
        v.save_dataset(make_dataset(make_id("b", "us-east-1:0001")));
        v.save_dataset(make_dataset(make_id("a", "us-east-1:0002")));
        v.save_dataset(make_dataset(make_id("a", "us-east-1:0001")));
        v.save_dataset(make_dataset(make_id("c", "us-east-1:0001"), dataset_state::deleted));
        v.save_dataset(make_dataset(make_id("a", "us-east-1:0001", "us-east-1:other")));
    });
    auto names = [](const std::vector<dataset>& ds) {
        std::vector<std::string> out;
        for (const auto& d : ds) out.push_back(d.id.identity + "/" + d.id.name);
        return out;
    };
    auto all = s->read([](read_view& v) { return v.live_datasets_of_pool("us-east-1:pool", nullptr, SIZE_MAX); });
    CHECK(names(all) == std::vector<std::string>{"us-east-1:0001/a", "us-east-1:0001/b", "us-east-1:0002/a"});
    auto first = s->read([](read_view& v) { return v.live_datasets_of_pool("us-east-1:pool", nullptr, 2); });
    REQUIRE(first.size() == 2);
    auto rest = s->read([&](read_view& v) { return v.live_datasets_of_pool("us-east-1:pool", &first.back().id, 2); });
    CHECK(names(rest) == std::vector<std::string>{"us-east-1:0002/a"});
}
