// Get/SetIdentityPoolConfiguration and Get/SetCognitoEvents through api::handle_request
// (PROTOCOL.md 3.2, 7.2, 9.14).
#include <catch2/catch.hpp>

#include "tests/unit/api/op_fixture.hpp"

using namespace cogsync;
using namespace cogsync::testing;

namespace {

const std::string config_path = pool_path + "/configuration";
const std::string events_path = pool_path + "/events";
const std::string push = R"({"ApplicationArns":["arn:aws:sns:us-east-1:123456789012:app/GCM/MyApp"],"RoleArn":"arn:aws:iam::123456789012:role/r"})";
const std::string streams = R"({"StreamName":"s","RoleArn":"arn:aws:iam::123456789012:role/k","StreamingStatus":"ENABLED"})";

std::string set_error(op_fixture& f, const std::string& body) {
    return op_fixture::error_type(f.send("POST", config_path, body));
}

}  // namespace

TEST_CASE("a pool never configured answers just its id") {
    op_fixture f;
    auto r = f.send("GET", config_path);
    CHECK(r.status == 200);
    CHECK(r.body == R"({"IdentityPoolId":")" + pool + R"("})");
    CHECK(f.send("GET", events_path).body == R"({"Events":{}})");
}

TEST_CASE("Set replaces the sub-structures given, keeps the others, and answers the result") {
    op_fixture f;
    auto r = f.send("POST", config_path, R"({"PushSync":)" + push + "}");
    CHECK(r.status == 200);
    CHECK(r.body == R"({"IdentityPoolId":")" + pool + R"(","PushSync":)" + push + "}");

    r = f.send("POST", config_path, R"({"CognitoStreams":)" + streams + "}");
    auto full = R"({"IdentityPoolId":")" + pool + R"(","PushSync":)" + push + R"(,"CognitoStreams":)" + streams + "}";
    CHECK(r.body == full);
    CHECK(f.send("GET", config_path).body == full);

    CHECK(f.send("POST", config_path, R"({"PushSync":null})").body == full);  // null is absent (2.2)
    r = f.send("POST", config_path, R"({"PushSync":{"ApplicationArns":[]}})");
    CHECK(r.body == R"({"IdentityPoolId":")" + pool + R"(","PushSync":{"ApplicationArns":[]},"CognitoStreams":)" +
                        streams + "}");
}

TEST_CASE("Set validates every member against the model") {
    op_fixture f;
    CHECK(set_error(f, R"({"PushSync":{"ApplicationArns":["arn:aws:sns:us-east-1:1:app/gcm/x"]}})") ==
          "InvalidParameterException");
    CHECK(set_error(f, R"({"PushSync":{"ApplicationArns":["arn:aws:sns:us-east-1:1:app/GCM/x y"]}})") ==
          "InvalidParameterException");
    CHECK(set_error(f, R"({"PushSync":{"RoleArn":"arn:aws:iam::1:role"}})") == "InvalidParameterException");  // < 20
    CHECK(set_error(f, R"({"PushSync":{"RoleArn":"arn:aws:iam::x:role/abcdefgh"}})") == "InvalidParameterException");
    CHECK(set_error(f, R"({"CognitoStreams":{"StreamName":""}})") == "InvalidParameterException");
    CHECK(set_error(f, R"({"CognitoStreams":{"StreamName":")" + std::string(129, 's') + R"("}})") ==
          "InvalidParameterException");
    CHECK(set_error(f, R"({"CognitoStreams":{"StreamingStatus":"ON"}})") == "InvalidParameterException");
    CHECK(set_error(f, R"({"CognitoStreams":{"StreamName":"s\r\nX-Injected: 1"}})") == "InvalidParameterException");
    CHECK(set_error(f, R"({"CognitoStreams":{"StreamName":"a b"}})") == "InvalidParameterException");
    CHECK(set_error(f, R"({"PushSync":[]})") == "SerializationException");
    CHECK(set_error(f, R"({"PushSync":{"ApplicationArns":"arn"}})") == "SerializationException");
    CHECK(op_fixture::error_type(f.send("GET", "/identitypools/BAD/configuration")) == "InvalidParameterException");
    CHECK(f.send("GET", config_path).body == R"({"IdentityPoolId":")" + pool + R"("})");  // nothing stored
    CHECK(f.send("POST", config_path, R"({"PushSync":{"RoleArn":"arn:aws:iam::123456789012:role/ok"}})").status == 200);
}

TEST_CASE("SetCognitoEvents sets, keeps and removes SyncTrigger") {
    op_fixture f;
    auto r = f.send("POST", events_path, R"({"Events":{"SyncTrigger":"arn:aws:lambda:us-east-1:1:function:f"}})");
    CHECK(r.status == 200);
    CHECK(r.body == "{}");
    CHECK(f.send("GET", events_path).body == R"({"Events":{"SyncTrigger":"arn:aws:lambda:us-east-1:1:function:f"}})");

    REQUIRE(f.send("POST", config_path, R"({"PushSync":)" + push + "}").status == 200);  // config keeps events
    CHECK(f.send("POST", events_path, R"({"Events":{}})").status == 200);                 // no keys: no change
    CHECK(f.send("GET", events_path).body == R"({"Events":{"SyncTrigger":"arn:aws:lambda:us-east-1:1:function:f"}})");

    CHECK(f.send("POST", events_path, R"({"Events":{"SyncTrigger":""}})").status == 200);
    CHECK(f.send("GET", events_path).body == R"({"Events":{}})");
    CHECK(f.send("GET", config_path).body == R"({"IdentityPoolId":")" + pool + R"(","PushSync":)" + push + "}");
}

TEST_CASE("SetCognitoEvents refuses a missing map, two entries and unknown event types") {
    op_fixture f;
    CHECK(op_fixture::error_type(f.send("POST", events_path, "{}")) == "InvalidParameterException");
    CHECK(op_fixture::error_type(f.send("POST", events_path, R"({"Events":{"SyncTrigger":"a","Other":"b"}})")) ==
          "InvalidParameterException");
    CHECK(op_fixture::error_type(f.send("POST", events_path, R"({"Events":{"Other":"b"}})")) ==
          "InvalidParameterException");
    CHECK(op_fixture::error_type(f.send("POST", events_path, R"({"Events":{"SyncTrigger":1}})")) ==
          "SerializationException");
    CHECK(op_fixture::error_type(f.send("POST", events_path, R"({"Events":[]})")) == "SerializationException");
    for (const char* bad : {"a", "arn:aws:lambda:us-east-1:1:function:f\\r\\nX-Injected: 1",
                            "arn:aws:lambda:us-east-1:1:function:f\\n", "arn:aws:sns:us-east-1:1:function:f"})
        CHECK(op_fixture::error_type(f.send("POST", events_path, R"({"Events":{"SyncTrigger":")" + std::string(bad) +
                                                                     R"("}})")) == "InvalidParameterException");
    CHECK(f.send("POST", events_path, R"({"Events":{"SyncTrigger":"arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST"}})")
              .status == 200);
}
