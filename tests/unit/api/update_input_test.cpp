// api/ops/update_input.hpp: UpdateRecords' body read in one SAX pass. Pinned twice: the
// answers the e2e suite expects (tests/e2e/test_validation.py, test_records.py), and agreement
// with the DOM reader it replaced (tests/support/dom_update_input.hpp) on crafted and random
// bodies, error message included.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "api/api_error.hpp"
#include "api/ops/update_input.hpp"
#include "tests/support/dom_update_input.hpp"

using namespace cogsync::api;
using cogsync::testing::dom_read_update_input;
using cogsync::testing::outcome_of;

namespace {

std::string sax(std::string_view body) { return outcome_of(ops::read_update_input, body); }
std::string dom(std::string_view body) { return outcome_of(dom_read_update_input, body); }

std::string with_patches(const std::string& patches, const std::string& extra = "") {
    return R"({"SyncSessionToken":"t",)" + extra + R"("RecordPatches":)" + patches + "}";
}

std::string patch(const std::string& members) { return "[{" + members + "}]"; }

const std::string ser = "SerializationException: ";
const std::string ip = "InvalidParameterException: 1 validation error detected: ";

}  // namespace

TEST_CASE("update input: patches, token and device id read as sent") {
    auto in = ops::read_update_input(
        R"({"DeviceId":"dev","SyncSessionToken":"tok","RecordPatches":[)"
        R"({"Op":"replace","Key":"k","Value":"v","SyncCount":3,"DeviceLastModifiedDate":1700574873.059},)"
        R"({"Op":"remove","Key":"gone","SyncCount":0},)"
        R"({"Op":"replace","Key":"n","Value":null,"SyncCount":1,"DeviceLastModifiedDate":"1577934245"}]})");
    CHECK(in.token == "tok");
    CHECK(in.device_id == std::optional<std::string>("dev"));
    REQUIRE(in.patches.size() == 3);
    CHECK_FALSE(in.patches[0].remove);
    CHECK(in.patches[0].key == "k");
    CHECK(in.patches[0].value == std::optional<std::string>("v"));
    CHECK(in.patches[0].sync_count == 3);
    CHECK(in.patches[0].device_last_modified_ms == std::optional<int64_t>(1700574873059));
    CHECK(in.patches[1].remove);
    CHECK_FALSE(in.patches[1].value);
    CHECK_FALSE(in.patches[2].value);
    CHECK(in.patches[2].device_last_modified_ms == std::optional<int64_t>(1577934245000));
}

TEST_CASE("update input: the e2e suite's malformed bodies get the same answers") {
    CHECK(sax(with_patches(patch(R"("Op":"upsert","Key":"k","Value":"x","SyncCount":1)"))) ==
          ip + "Value 'upsert' at 'RecordPatches.1.op' failed to satisfy constraint: Member must satisfy enum value "
               "set: [replace, remove]");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":")" + std::string(1025, 'k') + R"(","SyncCount":0)"))) ==
          ip + "Value at 'RecordPatches.1.key' failed to satisfy constraint: Member must have length less than or "
               "equal to 1024");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":")" + std::string(1024, 'k') + R"(","SyncCount":0)")))
              .rfind("token=t", 0) == 0);
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":"","SyncCount":0)"))) ==
          ip + "Value at 'RecordPatches.1.key' failed to satisfy constraint: Member must have length greater than or "
               "equal to 1");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":"v","Value":")" + std::string(1048576, 'x') +
                                 R"(","SyncCount":0)"))) ==
          ip + "Value at 'RecordPatches.1.value' failed to satisfy constraint: Member must have length less than or "
               "equal to 1048575");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":-1)"))) ==
          ip + "Value at 'RecordPatches.1.syncCount' failed to satisfy constraint: Member must be greater than or "
               "equal to 0");
    CHECK(sax(with_patches(patch(R"("Key":"k","SyncCount":1)"))) ==
          ip + "Value null at 'RecordPatches.1.op' failed to satisfy constraint: Member must not be null");
    CHECK(sax(with_patches(patch(R"("Op":"replace","SyncCount":1)"))) ==
          ip + "Value null at 'RecordPatches.1.key' failed to satisfy constraint: Member must not be null");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":"k","Value":"x")"))) ==
          ip + "Value null at 'RecordPatches.1.syncCount' failed to satisfy constraint: Member must not be null");
    CHECK(sax(R"({"RecordPatches":[]})") ==
          ip + "Value null at 'syncSessionToken' failed to satisfy constraint: Member must not be null");
    CHECK(sax(R"({"SyncSessionToken":"t","DeviceId":""})") ==
          ip + "Value at 'deviceId' failed to satisfy constraint: Member must have length greater than or equal to 1");
}

TEST_CASE("update input: members of the wrong type are SerializationException") {
    CHECK(sax(with_patches("\"x\"")) == ser + "Member 'RecordPatches' must be a list");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":"k","Value":12,"SyncCount":1)"))) ==
          ser + "Member 'Value' must be a string");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":7,"SyncCount":1)"))) == ser + "Member 'Key' must be a string");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":"one")"))) ==
          ser + "Member 'SyncCount' must be an integer");
    CHECK(sax(R"({"SyncSessionToken":5,"RecordPatches":[]})") == ser + "Member 'SyncSessionToken' must be a string");
    CHECK(sax(with_patches("[1]")) == ser + "Member 'RecordPatches.1' must be an object");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":"soon")"))) ==
          ser + "class java.lang.String can not be converted to milliseconds since epoch");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":[1])"))) ==
          ser + "Member 'DeviceLastModifiedDate' must be a timestamp in epoch seconds");
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":1e300)"))) ==
          ser + "Member 'DeviceLastModifiedDate' is out of range");
    for (auto body : {"{not json", R"({"RecordPatches": [)", "\xff\xfe", "[1,2]", "\"str\""})
        CHECK(sax(body).rfind(ser, 0) == 0);
    CHECK(sax("[1,2]") == ser + "The request body must be a JSON object");
}

TEST_CASE("update input: null is absent, unknown members are skipped whatever they hold") {
    auto out = sax(with_patches(
        R"([{"Op":"replace","Key":"k","Value":"w","SyncCount":1,"Extra":{"a":[1,{"Op":5}]},"DeviceLastModifiedDate":null}])",
        R"("DeviceId":null,"Unknown":{"a":[1,2],"RecordPatches":7},)"));
    CHECK(out == "token=t device=(none) | replace k = w @1 dlm=(none)");
    CHECK(sax(R"({"SyncSessionToken":"t","RecordPatches":null})") == "token=t device=(none)");
    CHECK(sax("") == ip + "Value null at 'syncSessionToken' failed to satisfy constraint: Member must not be null");
}

TEST_CASE("update input: the error the DOM checks reached first wins, whatever the member order") {
    // a syntax error after a bad member
    CHECK(sax(R"({"SyncSessionToken":5,"RecordPatches":[1]} x)").rfind(ser + "Could not parse", 0) == 0);
    // DeviceId before SyncSessionToken before RecordPatches, though sent last
    CHECK(sax(R"({"RecordPatches":[1],"SyncSessionToken":5,"DeviceId":7})") == ser + "Member 'DeviceId' must be a string");
    CHECK(sax(R"({"RecordPatches":[1],"SyncSessionToken":5})") == ser + "Member 'SyncSessionToken' must be a string");
    CHECK(sax(R"({"RecordPatches":[1]})").find("syncSessionToken") != std::string::npos);
    // within a patch, the type of SyncCount before a missing Op
    CHECK(sax(with_patches(patch(R"("SyncCount":true,"Key":"k")"))) == ser + "Member 'SyncCount' must be an integer");
    // the first bad patch, not the worst
    CHECK(sax(with_patches(R"([{"Op":"replace","Key":"","SyncCount":0},2])")).find("RecordPatches.1.key") !=
          std::string::npos);
    // a name given twice counts the first time, null included
    CHECK(sax(R"({"SyncSessionToken":null,"SyncSessionToken":"t"})").find("syncSessionToken") != std::string::npos);
    CHECK(sax(with_patches(patch(R"("Op":"remove","Key":"a","Key":7,"SyncCount":2,"Op":1)"))) ==
          "token=t device=(none) | remove a = (none) @2 dlm=(none)");
}

TEST_CASE("update input: lengths count code points, as check_length does") {
    std::string snowman = "\xE2\x98\x83";
    std::string key;
    for (int i = 0; i < 1024; ++i) key += snowman;
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":")" + key + R"(","SyncCount":0)"))).rfind("token=t", 0) == 0);
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":")" + key + snowman + R"(","SyncCount":0)")))
              .find("less than or equal to 1024") != std::string::npos);
    // an escaped surrogate pair is one code point
    CHECK(sax(with_patches(patch(R"("Op":"replace","Key":"\ud83d\ude00","SyncCount":0)"))) ==
          "token=t device=(none) | replace \xF0\x9F\x98\x80 = (none) @0 dlm=(none)");
}

TEST_CASE("update input: nesting beyond max_json_depth is refused where it starts, not overflowing the stack") {
    auto nested = [](int levels) {  // the body is the first level
        auto inner = std::string(levels - 1, '[') + std::string(levels - 1, ']');
        return R"({"SyncSessionToken":"t","Unknown":)" + inner + "}";
    };
    CHECK(sax(nested(max_json_depth)) == "token=t device=(none)");
    auto refused = ser + "Could not parse the request body as JSON: nested deeper than 512 levels. (offset " +
                   std::to_string(nested(max_json_depth + 1).find('[') + max_json_depth) + ")";
    CHECK(sax(nested(max_json_depth + 1)) == refused);
    CHECK(dom(nested(max_json_depth + 1)) == refused);
    CHECK(sax(std::string(1000000, '[')).find("nested deeper than 512 levels") != std::string::npos);
    CHECK(sax(R"({"RecordPatches":[)" + std::string(1000000, '[')).find("nested deeper") != std::string::npos);
    std::string objects;
    for (int i = 0; i < 200000; ++i) objects += R"({"a":)";
    CHECK(sax(objects).find("nested deeper") != std::string::npos);
}

TEST_CASE("update input: agrees with the DOM reader on crafted bodies") {
    const std::vector<std::string> bodies = {
        "", " \r\n", "{}", "null", "[]", "\xEF\xBB\xBF{\"SyncSessionToken\":\"t\"}", "{\"SyncSessionToken\":\"t\"} {}",
        R"({"SyncSessionToken":"t","RecordPatches":{}})", R"({"SyncSessionToken":"t","RecordPatches":[[]]})",
        R"({"SyncSessionToken":"t","RecordPatches":[null]})", R"({"SyncSessionToken":"t","RecordPatches":[],"RecordPatches":5})",
        R"({"SyncSessionToken":"t","RecordPatches":5,"RecordPatches":[]})",
        R"({"SyncSessionToken":{"a":1},"DeviceId":"d"})", R"({"SyncSessionToken":"t","DeviceId":[]})",
        "{\"SyncSessionToken\":\"t\\u0000x\",\"DeviceId\":\"\\ud800\"}",
        "{\"SyncSessionToken\":\"t\",\"DeviceId\":\"\xC3\x28\"}",
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":9223372036854775807)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":9223372036854775808)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":-9223372036854775808)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":1.0)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":1.5)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":1e3)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":-0.0)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":18446744073709551616)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":-1.5)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":" 12")")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":"12 ")")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":"inf")")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":"0x10")")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":"1\u00002")")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":18446744073709551615)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":true)")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"DeviceLastModifiedDate":{})")),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0,"Value":{"x":[]})")),
        with_patches(patch(R"("Op":["replace"],"Key":{},"SyncCount":[])")),
        with_patches(patch(R"("Op":"Replace","Key":"k","SyncCount":0)")),
        with_patches(patch(R"("op":"replace","Key":"k","SyncCount":0)")),
        with_patches(R"([{"Op":"replace","Key":"a","SyncCount":0},{"Op":"remove","Key":"b","SyncCount":1},7,{"Op":1}])"),
        with_patches(R"([{"Op":"replace","Key":"a","SyncCount":0},[{"Op":1}],{"Op":1}])"),
        with_patches(R"([{"Op":"replace","Key":"a","SyncCount":0},{"Op":"replace","Key":"a","SyncCount":0}])"),
        with_patches(R"([{"Op":"replace","Key":"a","SyncCount":0},{"Op":"replace","Key":"a","SyncCount":0])"),
        with_patches(patch(R"("Op":"replace","Key":"k","SyncCount":0)"), R"("DeviceId":")" + std::string(257, 'd') + "\","),
        R"({"SyncSessionToken":"t","RecordPatches":[{"Op":"replace","Key":"k","SyncCount":0}],"DeviceId":""} )",
        "{\"SyncSessionToken\":\"t\",\"RecordPatches\":[{\"Op\":\"replace\",\"Key\":\"k\",\"SyncCount\":0}]\x01}",
    };
    for (const auto& body : bodies) {
        INFO(body);
        CHECK(sax(body) == dom(body));
    }
}

TEST_CASE("update input: agrees with the DOM reader on random bodies") {
    // Bodies assembled from the members that matter: mostly good values, so that many bodies get
    // through, and wrong types, nulls, duplicates, unknown members, and now and then a byte cut
    // off or changed.
    std::mt19937 rng(20240611);
    auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
    const std::vector<std::string> anything = {"\"\"", "\"k\"", "\"x\\u00e9\"", "null", "7", "-1", "1.5", "true", "[]",
                                               "{\"a\":[1]}", "\"12.5\"", "1e300", "0", "9223372036854775808"};
    auto good = [&](const std::string& name) -> std::string {
        if (name == "Op") return rng() % 2 ? "\"replace\"" : "\"remove\"";
        if (name == "SyncCount") return std::to_string(rng() % 5);
        if (name == "DeviceLastModifiedDate") return rng() % 2 ? "1700574873.059" : "\"1577934245\"";
        std::string text = "\"";
        text.append(1 + rng() % 3, static_cast<char>('a' + rng() % 3));
        return text += '"';
    };
    const std::vector<std::string> patch_names = {"Op", "Key", "Value", "SyncCount", "DeviceLastModifiedDate", "Other"};
    const std::vector<std::string> body_names = {"SyncSessionToken", "DeviceId", "RecordPatches", "ClientContext"};
    auto value_for = [&](const std::string& name) { return rng() % 6 ? good(name) : pick(anything); };
    // The names from `from` on, a few more picked at random (duplicates), in either order.
    auto object_of = [&](const std::vector<std::string>& names, std::size_t from, auto&& value) {
        std::vector<std::string> members(names.begin() + static_cast<long>(from), names.end());
        for (auto extra = rng() % 3; extra > 0; --extra) members.push_back(pick(names));
        if (rng() % 2) std::shuffle(members.begin(), members.end(), rng);
        std::string out = "{";
        for (const auto& name : members) {
            if (out.size() > 1) out += ',';
            out += '"';
            out += name;
            out += "\":";
            out += value(name);
        }
        return out + "}";
    };
    auto body_value = [&](const std::string& name) {
        if (name != "RecordPatches" || rng() % 16 == 0) return value_for(name);
        std::string list = "[";
        int n = static_cast<int>(rng() % 4);
        for (int i = 0; i < n; ++i) {
            auto from = rng() % 4 ? 0 : 1 + rng() % 2;  // now and then no Op, or no Op and Key
            if (i) list += ',';
            list += rng() % 8 ? object_of(patch_names, from, value_for) : pick(anything);
        }
        return list + "]";
    };
    for (int round = 0; round < 20000; ++round) {
        auto body = object_of(body_names, rng() % 8 ? 0 : 1, body_value);
        if (rng() % 10 == 0) {
            auto at = rng() % body.size();
            if (rng() % 2) body.erase(at, 1);
            else body[at] = "{}[],:\"x1 \x80"[rng() % 12];
        }
        INFO(body);
        REQUIRE(sax(body) == dom(body));
    }
}
