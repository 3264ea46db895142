// RegisterDevice, SubscribeToDataset, UnsubscribeFromDataset through api::handle_request
// (PROTOCOL.md 7.1).
#include <catch2/catch.hpp>

#include <regex>

#include "tests/unit/api/op_fixture.hpp"

using namespace cogsync;
using namespace cogsync::testing;

namespace {

const std::string device_path = pool_path + "/identity/" + identity + "/device";

void configure_push(op_fixture& f, const std::string& arns) {
    auto r = f.send("POST", pool_path + "/configuration",
                    R"({"PushSync":{"ApplicationArns":)" + arns + R"(,"RoleArn":"arn:aws:iam::123456789012:role/push"}})");
    REQUIRE(r.status == 200);
}

std::string register_device(op_fixture& f, const std::string& platform, const std::string& token) {
    auto r = f.send("POST", device_path, R"({"Platform":")" + platform + R"(","Token":")" + token + R"("})");
    REQUIRE(r.status == 200);
    return op_fixture::json(r)["DeviceId"].GetString();
}

std::string subscription(const std::string& dataset, const std::string& device) {
    return identity_path + "/datasets/" + dataset + "/subscriptions/" + device;
}

}  // namespace

TEST_CASE("RegisterDevice needs push sync configured for the platform") {
    op_fixture f;
    auto r = f.send("POST", device_path, R"({"Platform":"GCM","Token":"t"})");
    CHECK(r.status == 400);
    CHECK(op_fixture::error_type(r) == "InvalidConfigurationException");
    CHECK(std::string(op_fixture::json(r)["message"].GetString()) == "Push sync is not configured for platform GCM");

    configure_push(f, R"(["arn:aws:sns:us-east-1:123456789012:app/APNS/MyApp"])");
    r = f.send("POST", device_path, R"({"Platform":"GCM","Token":"t"})");
    CHECK(op_fixture::error_type(r) == "InvalidConfigurationException");
    r = f.send("POST", device_path, R"({"Platform":"APNS_SANDBOX","Token":"t"})");
    CHECK(op_fixture::error_type(r) == "InvalidConfigurationException");  // APNS does not cover the sandbox
    CHECK_FALSE(register_device(f, "APNS", "ABCDEF").empty());
}

TEST_CASE("RegisterDevice validates Platform and Token") {
    op_fixture f;
    configure_push(f, R"(["arn:aws:sns:us-east-1:123456789012:app/GCM/MyApp"])");
    CHECK(op_fixture::error_type(f.send("POST", device_path, R"({"Token":"t"})")) == "InvalidParameterException");
    CHECK(op_fixture::error_type(f.send("POST", device_path, R"({"Platform":"FCM","Token":"t"})")) ==
          "InvalidParameterException");
    CHECK(op_fixture::error_type(f.send("POST", device_path, R"({"Platform":"GCM"})")) == "InvalidParameterException");
    CHECK(op_fixture::error_type(f.send("POST", device_path, R"({"Platform":"GCM","Token":5})")) ==
          "SerializationException");
    CHECK(op_fixture::error_type(f.send("POST", pool_path + "/identity/bad/device", R"({"Platform":"GCM","Token":"t"})")) ==
          "InvalidParameterException");
}

TEST_CASE("RegisterDevice is idempotent per token and mints lowercase UUID v4 ids") {
    op_fixture f;
    configure_push(f, R"(["arn:aws:sns:us-east-1:123456789012:app/GCM/a","arn:aws:sns:us-east-1:123456789012:app/ADM/b"])");
    auto first = register_device(f, "GCM", "tok");
    static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    CHECK(std::regex_match(first, uuid));
    CHECK(register_device(f, "GCM", "tok") == first);
    CHECK(register_device(f, "GCM", "other") != first);
    CHECK(register_device(f, "ADM", "tok") != first);
}

TEST_CASE("RegisterDevice caps devices per identity; a known token is not counted again") {
    op_fixture f;
    f.ctx.push.max_devices = 2;
    configure_push(f, R"(["arn:aws:sns:us-east-1:123456789012:app/GCM/a"])");
    auto first = register_device(f, "GCM", "t1");
    register_device(f, "GCM", "t2");
    auto r = f.send("POST", device_path, R"({"Platform":"GCM","Token":"t3"})");
    CHECK(r.status == 400);
    CHECK(op_fixture::error_type(r) == "LimitExceededException");
    CHECK(register_device(f, "GCM", "t1") == first);
}

TEST_CASE("SubscribeToDataset caps subscribers per dataset; subscribing again is not counted") {
    op_fixture f;
    f.ctx.push.max_subscriptions = 1;
    configure_push(f, R"(["arn:aws:sns:us-east-1:123456789012:app/GCM/a"])");
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"v","SyncCount":0}])").status == 200);
    auto a = register_device(f, "GCM", "a");
    auto b = register_device(f, "GCM", "b");
    CHECK(f.send("POST", subscription("ds", a)).status == 200);
    CHECK(f.send("POST", subscription("ds", a)).status == 200);
    auto r = f.send("POST", subscription("ds", b));
    CHECK(r.status == 400);
    CHECK(op_fixture::error_type(r) == "LimitExceededException");
    CHECK(f.send("DELETE", subscription("ds", a)).status == 200);
    CHECK(f.send("POST", subscription("ds", b)).status == 200);
}

TEST_CASE("subscribing needs a registered device and a dataset that exists") {
    op_fixture f;
    configure_push(f, R"(["arn:aws:sns:us-east-1:123456789012:app/GCM/a"])");
    auto device = register_device(f, "GCM", "tok");

    auto r = f.send("POST", subscription("ds", device));
    CHECK(r.status == 404);
    CHECK(op_fixture::error_type(r) == "ResourceNotFoundException");  // never written

    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"v","SyncCount":0}])").status == 200);
    CHECK(op_fixture::error_type(f.send("POST", subscription("ds", "not-a-device"))) == "ResourceNotFoundException");
    CHECK(op_fixture::error_type(f.send("POST", subscription("ds", std::string(257, 'd')))) ==
          "InvalidParameterException");

    r = f.send("POST", subscription("ds", device));
    CHECK(r.status == 200);
    CHECK(r.body == "{}");
    CHECK(f.send("POST", subscription("ds", device)).status == 200);  // idempotent
    auto subs = f.store.read([](storage::read_view& v) { return v.subscribers({pool, identity, "ds"}); });
    REQUIRE(subs.size() == 1);
    CHECK(subs[0].device_id == device);
}

TEST_CASE("another identity's device cannot be subscribed") {
    op_fixture f;
    configure_push(f, R"(["arn:aws:sns:us-east-1:123456789012:app/GCM/a"])");
    auto other = f.send("POST", pool_path + "/identity/us-east-1:2222/device", R"({"Platform":"GCM","Token":"t"})");
    std::string device = op_fixture::json(other)["DeviceId"].GetString();
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"v","SyncCount":0}])").status == 200);
    CHECK(op_fixture::error_type(f.send("POST", subscription("ds", device))) == "ResourceNotFoundException");
}

TEST_CASE("push configuration removed after registration is InvalidConfiguration") {
    op_fixture f;
    configure_push(f, R"(["arn:aws:sns:us-east-1:123456789012:app/GCM/a"])");
    auto device = register_device(f, "GCM", "tok");
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"v","SyncCount":0}])").status == 200);
    configure_push(f, "[]");
    CHECK(op_fixture::error_type(f.send("POST", subscription("ds", device))) == "InvalidConfigurationException");
    CHECK(op_fixture::error_type(f.send("DELETE", subscription("ds", device))) == "InvalidConfigurationException");
}

TEST_CASE("unsubscribe answers {} once, then 404; subscriptions outlive DeleteDataset") {
    op_fixture f;
    configure_push(f, R"(["arn:aws:sns:us-east-1:123456789012:app/GCM/a"])");
    auto device = register_device(f, "GCM", "tok");
    REQUIRE(f.update("ds", R"([{"Op":"replace","Key":"k","Value":"v","SyncCount":0}])").status == 200);
    REQUIRE(f.send("POST", subscription("ds", device)).status == 200);

    REQUIRE(f.send("DELETE", identity_path + "/datasets/ds").status == 200);
    CHECK(f.store.read([&](storage::read_view& v) { return v.is_subscribed({pool, identity, "ds"}, device); }));
    CHECK(f.send("POST", subscription("ds", device)).status == 200);  // a deleted dataset existed

    auto r = f.send("DELETE", subscription("ds", device));
    CHECK(r.status == 200);
    CHECK(r.body == "{}");
    CHECK(op_fixture::error_type(f.send("DELETE", subscription("ds", device))) == "ResourceNotFoundException");
    CHECK(op_fixture::error_type(f.send("DELETE", subscription("ds", "unknown"))) == "ResourceNotFoundException");
}
