#pragma once
// Runs operations end to end below HTTP: api::handle_request over a real record_store in a fresh
// temp directory (open mode), with a fake outbox listener and a scripted Sync Trigger invoker.
#include <rapidjson/document.h>

#include <functional>
#include <string>
#include <vector>

#include "api/run_to_answer.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

namespace cogsync::testing {

struct counting_outbox : api::outbox_listener {
    int notified = 0;
    void notify() override { ++notified; }
};

struct scripted_trigger : api::sync_trigger_invoker {
    std::vector<std::pair<std::string, std::string>> calls;  // (function arn, event)
    std::function<std::string(const std::string& event)> reply = [](const std::string& e) { return e; };
    std::string invoke(const std::string& arn, const std::string& event) override {
        calls.emplace_back(arn, event);
        return reply(event);
    }
};

inline const std::string pool = "us-east-1:0000aaaa";
inline const std::string identity = "us-east-1:1111bbbb";
inline const std::string pool_path = "/identitypools/" + pool;
inline const std::string identity_path = pool_path + "/identities/" + identity;

struct op_fixture {
    storage::testing::temp_dir dir;
    storage::sqlite_store store{storage::testing::sqlite_options(dir, storage::durability::normal)};
    counting_outbox outbox;
    scripted_trigger trigger;
    int64_t now = 1700000000000;
    api::context ctx{store, api::token_codec(std::string(32, 'k')), {}, 300000, [this] { return now; }};

    op_fixture() {
        ctx.outbox = &outbox;
        ctx.trigger = &trigger;
    }

    api::response send(const std::string& method, const std::string& path, const std::string& body = "") {
        api::request req;
        req.method = method;
        req.path = path;
        req.body = body;
        req.request_id = "test";
        return api::run_to_answer(req, ctx);
    }

    // A Cognito Identity operation: POST / with X-Amz-Target AWSCognitoIdentityService.<name>.
    api::response identity_op(const std::string& name, const std::string& body) {
        api::request req;
        req.method = "POST";
        req.path = "/";
        req.body = body;
        req.request_id = "test";
        req.headers.emplace_back("X-Amz-Target", "AWSCognitoIdentityService." + name);
        return api::run_to_answer(req, ctx);
    }

    static rapidjson::Document json(const api::response& r) {
        rapidjson::Document d;
        d.Parse(r.body.c_str());
        return d;
    }

    static std::string error_type(const api::response& r) {
        for (const auto& [k, v] : r.headers)
            if (k == "x-amzn-ErrorType") return v;
        return "";
    }

    // A fresh SyncSessionToken for the dataset (ListRecords).
    std::string session(const std::string& dataset) {
        auto r = send("GET", identity_path + "/datasets/" + dataset + "/records");
        return json(r)["SyncSessionToken"].GetString();
    }

    // UpdateRecords with `patches` (a JSON array text) and a fresh token.
    api::response update(const std::string& dataset, const std::string& patches, const std::string& extra = "") {
        auto body = "{\"SyncSessionToken\":\"" + session(dataset) + "\",\"RecordPatches\":" + patches + extra + "}";
        return send("POST", identity_path + "/datasets/" + dataset, body);
    }

    // CognitoStreams on the pool with StreamingStatus `status` ("ENABLED" | "DISABLED").
    void configure_streams(const std::string& status) {
        auto body = R"({"CognitoStreams":{"StreamName":"s","RoleArn":"arn:aws:iam::123456789012:role/k","StreamingStatus":")" +
                    status + "\"}}";
        REQUIRE(send("POST", pool_path + "/configuration", body).status == 200);
    }

    std::vector<storage::outbox_event> events() {
        return store.read([](storage::read_view& v) { return v.outbox_page(0, SIZE_MAX); });
    }
};

}  // namespace cogsync::testing
