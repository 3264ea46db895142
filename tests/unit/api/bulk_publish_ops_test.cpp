// BulkPublish and GetBulkPublishDetails through api::handle_request (PROTOCOL.md 7.5).
#include <catch2/catch.hpp>

#include "api/json_codec.hpp"
#include "tests/unit/api/op_fixture.hpp"

using namespace cogsync;
using namespace cogsync::testing;

namespace {

const std::string publish_path = pool_path + "/bulkpublish";
const std::string details_path = pool_path + "/getBulkPublishDetails";

void finish(op_fixture& f, storage::bulk_publish_state s) {
    storage::testing::must_write(f.store, [&](storage::write_view& v) { v.save_bulk_publish(pool, s); });
}

}  // namespace

TEST_CASE("details before any publish say NOT_STARTED and nothing else") {
    op_fixture f;
    auto r = f.send("POST", details_path);
    CHECK(r.status == 200);
    CHECK(r.body == R"({"IdentityPoolId":")" + pool + R"(","BulkPublishStatus":"NOT_STARTED"})");
}

TEST_CASE("BulkPublish needs streams configured and ENABLED") {
    op_fixture f;
    auto r = f.send("POST", publish_path);
    CHECK(r.status == 400);
    CHECK(op_fixture::error_type(r) == "InvalidParameterException");
    f.configure_streams("DISABLED");
    CHECK(op_fixture::error_type(f.send("POST", publish_path)) == "InvalidParameterException");
    CHECK(f.events().empty());
    CHECK(f.outbox.notified == 0);
}

TEST_CASE("BulkPublish starts once, appends one event and wakes the outbox") {
    op_fixture f;
    f.configure_streams("ENABLED");
    auto r = f.send("POST", publish_path);
    CHECK(r.status == 200);
    CHECK(r.body == R"({"IdentityPoolId":")" + pool + R"("})");
    CHECK(f.outbox.notified == 1);
    auto events = f.events();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == "bulk_publish");
    CHECK(events[0].pool == pool);
    CHECK(events[0].payload == R"({"type":"bulk_publish","identityPoolId":")" + pool + R"("})");
    CHECK(f.send("POST", details_path).body ==
          R"({"IdentityPoolId":")" + pool + R"(","BulkPublishStatus":"IN_PROGRESS","BulkPublishStartTime":1700000000})");

    r = f.send("POST", publish_path);
    CHECK(op_fixture::error_type(r) == "DuplicateRequestException");
    CHECK(std::string(op_fixture::json(r)["message"].GetString()) ==
          "A bulk publish is already in progress for this identity pool");
    CHECK(f.events().size() == 1);
}

TEST_CASE("a successful publish blocks another for the interval; a failed one does not") {
    op_fixture f;
    f.configure_streams("ENABLED");
    REQUIRE(f.send("POST", publish_path).status == 200);
    finish(f, {"SUCCEEDED", f.now, f.now + 1500, ""});
    CHECK(f.send("POST", details_path).body ==
          R"({"IdentityPoolId":")" + pool +
              R"(","BulkPublishStatus":"SUCCEEDED","BulkPublishStartTime":1700000000,"BulkPublishCompleteTime":1700000001.5})");

    f.now += 1500 + f.ctx.bulk_publish_interval_ms - 1;
    auto r = f.send("POST", publish_path);
    CHECK(op_fixture::error_type(r) == "AlreadyStreamedException");
    CHECK(std::string(op_fixture::json(r)["message"].GetString()) == "Bulk publish is allowed once every 24 hours");
    f.now += 1;
    CHECK(f.send("POST", publish_path).status == 200);

    finish(f, {"FAILED", f.now, 0, "stream not found"});
    CHECK(f.send("POST", details_path).body == R"({"IdentityPoolId":")" + pool +
                                                   R"(","BulkPublishStatus":"FAILED","BulkPublishStartTime":)" +
                                                   api::format_epoch_seconds(f.now) +
                                                   R"(,"FailureMessage":"stream not found"})");
    CHECK(f.send("POST", publish_path).status == 200);
    CHECK(f.events().size() == 3);
}
