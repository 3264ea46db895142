// Payload builders, backoff schedule, outbound SigV4 and the hooks registry (server/*).
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "api/auth/sigv4.hpp"
#include "api/base64url.hpp"
#include "config/hooks_config.hpp"
#include "server/backoff.hpp"
#include "server/hooks/delivered_change.hpp"
#include "server/hooks/hook_registry.hpp"
#include "server/hooks/http_client.hpp"
#include "server/hooks/kinesis_stream.hpp"
#include "server/hooks/outbound_sigv4.hpp"
#include "server/hooks/push_payload.hpp"
#include "server/hooks/stream_record.hpp"

using namespace cogsync;
using namespace cogsync::server;

TEST_CASE("push payload: GCM data message, every value a string (PROTOCOL.md 7.1)") {
    CHECK(push_payload("GCM", "us-east-1:p", "us-east-1:i", "ds", 9) ==
          R"({"data":{"source":"cognito-sync","identityPoolId":"us-east-1:p","identityId":"us-east-1:i",)"
          R"("datasetName":"ds","syncCount":"9"}})");
}

TEST_CASE("push payload: APNS and APNS_SANDBOX are silent pushes with the same data") {
    auto expected = R"({"aps":{"content-available":1},"data":{"source":"cognito-sync","identityPoolId":"p",)"
                    R"("identityId":"i","datasetName":"d\"q","syncCount":"12"}})";
    CHECK(push_payload("APNS", "p", "i", "d\"q", 12) == expected);
    CHECK(push_payload("APNS_SANDBOX", "p", "i", "d\"q", 12) == expected);
}

TEST_CASE("platform of an SNS platform application ARN") {
    CHECK(arn_platform("arn:aws:sns:us-east-1:123456789012:app/GCM/MyApp") == "GCM");
    CHECK(arn_platform("arn:aws:sns:us-east-1:123456789012:app/APNS_SANDBOX/My") == "APNS_SANDBOX");
    CHECK(arn_platform("arn:aws:sns:us-east-1:123456789012:topic") == "");
}

TEST_CASE("change event and Kinesis record shape (PROTOCOL.md 7.4)") {
    storage::outbox_event e;
    e.id = 42;
    e.kind = "update";
    e.payload = R"({"type":"update","identityPoolId":"p","identityId":"i","datasetName":"ds","syncCount":9,)"
                R"("deviceId":"dev1","lastModifiedDate":1700000000000,"records":[)"
                R"({"key":"k","value":"v","syncCount":9,"lastModifiedDate":1700000000001,"deviceLastModifiedDate":1700000000002,"op":"replace"},)"
                R"({"key":"gone","syncCount":9,"lastModifiedDate":1700000000001,"deviceLastModifiedDate":0,"op":"remove"}]})";
    auto c = parse_change_event(e);
    CHECK(c.id == 42);
    CHECK(c.device_id == "dev1");
    REQUIRE(c.records.size() == 2);
    CHECK_FALSE(c.records[1].value);
    CHECK(event_id(c.id) == "cogsync-42");
    CHECK(push_event_id(c.id, "dev2") == "cogsync-42/dev2");
    CHECK(stream_record(c) ==
          R"({"identityPoolId":"p","identityId":"i","dataSetName":"ds","operation":"replace","kinesisSyncRecords":[)"
          R"({"key":"k","value":"v","syncCount":9,"lastModifiedDate":1700000000001,"deviceLastModifiedDate":1700000000002,"op":"replace"},)"
          R"({"key":"gone","syncCount":9,"lastModifiedDate":1700000000001,"deviceLastModifiedDate":0,"op":"remove"}],)"
          R"("lastModifiedDate":1700000000000,"payloadType":"Inline","syncCount":9})");
    c.type = "delete";
    c.records.clear();
    CHECK(stream_record(c).find(R"("operation":"remove","kinesisSyncRecords":[])") != std::string::npos);
}

TEST_CASE("change event: a payload that is not JSON throws") {
    storage::outbox_event e;
    e.payload = "nope";
    CHECK_THROWS(parse_change_event(e));
}

TEST_CASE("change event: a payload nested beyond the JSON depth limit throws") {
    storage::outbox_event e;
    e.payload = R"({"records":)" + std::string(1000000, '[');
    CHECK_THROWS_WITH(parse_change_event(e), Catch::Contains("not a JSON object"));
}

TEST_CASE("backoff: 100 ms doubling, capped at 30 s, reset after success") {
    backoff b;
    std::vector<long> got;
    for (int i = 0; i < 12; ++i) got.push_back(static_cast<long>(b.next().count()));
    CHECK(got == std::vector<long>{100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000});
    CHECK(b.failures() == 12);
    b.reset();
    CHECK(b.next().count() == 100);
}

TEST_CASE("http url parsing") {
    auto u = parse_http_url("http://127.0.0.1:9000/push?x=1");
    CHECK(u.host == "127.0.0.1");
    CHECK(u.port == "9000");
    CHECK(u.target == "/push?x=1");
    auto d = parse_http_url("http://kinesis");
    CHECK(d.port == "80");
    CHECK(d.target == "/");
    CHECK(parse_http_url("http://[::1]:81/a").host == "::1");
    CHECK_THROWS(parse_http_url("ftp://x/"));
    CHECK_THROWS(parse_http_url("http://:80/"));
}

TEST_CASE("base64 for Kinesis Data") {
    CHECK(api::base64_encode("") == "");
    CHECK(api::base64_encode("f") == "Zg==");
    CHECK(api::base64_encode("foobar") == "Zm9vYmFy");
}

namespace {

// The api::request the receiving side would see for `call`.
api::request as_received(const http_call& call) {
    api::request r;
    r.method = call.method;
    auto q = call.url.target.find('?');
    r.path = call.url.target.substr(0, q);
    r.query = q == std::string::npos ? "" : call.url.target.substr(q + 1);
    r.headers = {{"Host", host_header(call.url)}};
    for (const auto& h : call.headers) r.headers.push_back(h);
    r.body = call.body;
    return r;
}

void check_signed(http_call call, const std::string& service) {
    const int64_t now = 1700000000000;
    sign_sigv4(call, {"AKIDOUT", "out-secret", "us-east-1", service}, now);
    api::auth::sigv4_verifier verifier(
        [](std::string_view key) -> std::optional<api::auth::signing_key_lookup_result> {
            if (key != "AKIDOUT") return std::nullopt;
            return api::auth::signing_key_lookup_result{"out-secret", std::nullopt};
        },
        service);
    CHECK(verifier.verify(as_received(call), now).access_key == "AKIDOUT");
    auto tampered = as_received(call);
    tampered.body += " ";
    CHECK_THROWS(verifier.verify(tampered, now));
    api::auth::sigv4_verifier wrong_service(
        [](std::string_view) { return api::auth::signing_key_lookup_result{"out-secret", std::nullopt}; },
        "other");
    CHECK_THROWS(wrong_service.verify(as_received(call), now));
}

}  // namespace

TEST_CASE("outbound SigV4: Kinesis PutRecord verifies with the server's own verifier") {
    http_call call;
    call.url = parse_http_url("http://127.0.0.1:4567/");
    call.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "Kinesis_20131202.PutRecord"}};
    call.body = R"({"StreamName":"s","Data":"e30=","PartitionKey":"p"})";
    check_signed(call, "kinesis");
}

TEST_CASE("outbound SigV4: Lambda Invoke with a percent-encoded ARN in the path") {
    http_call call;
    call.url = parse_http_url(
        "http://127.0.0.1:9002/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Av/invocations");
    call.headers = {{"Content-Type", "application/json"}};
    call.body = "{}";
    check_signed(call, "lambda");
}

TEST_CASE("registry: types, required settings and the outbox deliverer's own sink") {
    auto c = config::parse_hooks(
        "[sink.p]\ntype = log\nplatforms = *\n[sink.s]\ntype = webhook\nurl = http://127.0.0.1:1/\nstreams = *\n"
        "[trigger.t]\ntype = webhook\nurl = http://127.0.0.1:1/\nfunctions = *\n",
        "h.ini");
    auto built = build_hooks(c, "h.ini");
    REQUIRE(built.sinks.size() == 3);
    CHECK(built.sinks[0].first == "sink.p");
    CHECK(built.sinks[1].first == "sink.s");
    CHECK(built.sinks[2].first == "internal.bulk-status");
    auto fails = [](const std::string& text) {
        try {
            build_hooks(config::parse_hooks(text, "h.ini"), "h.ini");
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(fails("[sink.k]\ntype = kinesis\nstreams = *\n") == "h.ini:1: [sink.k] type kinesis needs 'endpoint'");
    CHECK(fails("[sink.k]\ntype = kinesis\nplatforms = *\n") ==
          "h.ini:1: [sink.k] unknown push sink type 'kinesis' (webhook, log)");
    CHECK(fails("[sink.w]\ntype = webhook\nurl = http://x/\npath = /tmp/x\nstreams = *\n") ==
          "h.ini:1: [sink.w] type webhook does not take 'path'");
    CHECK(fails("[trigger.t]\ntype = sqs\nfunctions = *\n") ==
          "h.ini:1: [trigger.t] unknown trigger type 'sqs' (webhook, lambda)");
}
