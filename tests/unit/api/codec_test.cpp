#include <catch2/catch.hpp>

#include "api/api_error.hpp"
#include "api/auth/crypto.hpp"
#include "tests/support/api_error_code.hpp"
#include "api/base64url.hpp"
#include "api/json_codec.hpp"
#include "api/percent.hpp"
#include "api/token_codec.hpp"
#include "api/validate.hpp"

#include <set>
#include <thread>

using namespace cogsync::api;
using cogsync::testing::code_of;

TEST_CASE("percent decoding refuses bad escapes and NUL") {
    CHECK(percent_decode("us-east-1%3Aabc") == std::optional<std::string>("us-east-1:abc"));
    CHECK(percent_decode("a+b") == std::optional<std::string>("a+b"));
    CHECK(percent_decode("a+b", true) == std::optional<std::string>("a b"));
    CHECK(percent_decode("%F0%9F%98%80") == std::optional<std::string>("\xF0\x9F\x98\x80"));
    CHECK_FALSE(percent_decode("%"));
    CHECK_FALSE(percent_decode("%4"));
    CHECK_FALSE(percent_decode("%zz"));
    CHECK_FALSE(percent_decode("a%00b"));
    auto q = parse_query("lastSyncCount=5&nextToken=tok%2F%2B%3D&flag&&x=");
    REQUIRE(q);
    REQUIRE(q->size() == 4);
    CHECK((*q)[1].second == "tok/+=");
    CHECK((*q)[2].first == "flag");
    CHECK_FALSE(parse_query("a=%G1"));
}

TEST_CASE("base64url round-trips every length and refuses padding or foreign characters") {
    std::string bytes;
    for (int n = 0; n < 70; ++n) {
        auto text = base64url_encode(bytes);
        CHECK(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
              std::string::npos);
        CHECK(base64url_decode(text) == std::optional<std::string>(bytes));
        bytes.push_back(static_cast<char>(n * 37));
    }
    CHECK_FALSE(base64url_decode("QQ=="));
    CHECK_FALSE(base64url_decode("Q+/"));
    CHECK_FALSE(base64url_decode("Q"));
    CHECK_FALSE(base64url_decode("QR"));  // non-zero trailing bits
}

TEST_CASE("session tokens are bound, tamper-evident and carry their expiry") {
    token_codec codec(std::string(32, 'k'));
    session_ticket issued;
    auto token = codec.issue_session("pool/id/ds", 123456789, &issued);
    CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
    auto opened = codec.open_session(token, "pool/id/ds");
    REQUIRE(opened);
    CHECK(opened->id == issued.id);
    CHECK(opened->id.size() == 32);
    CHECK(opened->expires_ms == 123456789);
    CHECK_FALSE(codec.open_session(token, "pool/id/other"));
    std::string tampered = token;
    tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
    CHECK_FALSE(codec.open_session(tampered, "pool/id/ds"));
    CHECK_FALSE(token_codec(std::string(32, 'x')).open_session(token, "pool/id/ds"));
    CHECK_FALSE(codec.open_session("garbage!", "pool/id/ds"));
    CHECK(codec.issue_session("b", 1, nullptr) != codec.issue_session("b", 1, nullptr));
    auto sealed = codec.seal("payload", "ctx");
    CHECK(codec.unseal(sealed, "ctx") == std::optional<std::string>("payload"));
    CHECK_FALSE(codec.unseal(sealed, "other"));
}

TEST_CASE("the keyed HMAC-SHA256 gives RFC 4231's answers, in one part or many") {
    using cogsync::api::auth::hmac_sha256_key;
    using cogsync::api::auth::to_hex;
    // RFC 4231 test cases 1, 2 and 6 (a key longer than the block is hashed first).
    CHECK(to_hex(hmac_sha256_key(std::string(20, '\x0b')).sign({"Hi There"})) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(to_hex(hmac_sha256_key("Jefe").sign({"what do ya want ", "", "for nothing?"})) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(to_hex(hmac_sha256_key(std::string(131, '\xaa')).sign({"Test Using Larger Than Block-Size Key - Hash Key First"})) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    const hmac_sha256_key key(std::string(64, 'z'));  // exactly one block: used as it is
    CHECK(key.sign({"abc"}) == cogsync::api::auth::hmac_sha256(std::string(64, 'z'), "abc"));
    CHECK(key.sign({"abc"}) == key.sign({"a", "bc"}));  // the state is copied, never consumed
}

TEST_CASE("tokens sealed before the keyed HMAC still open: payload, then HMAC over its length, payload and binding") {
    const std::string key(32, 'k');
    std::string size(7, '\0');
    size.push_back('\x07');  // 8 bytes, big-endian length of "payload"
    const auto old = base64url_encode("payload" + cogsync::api::auth::hmac_sha256(key, size + "payload" + "ctx"));
    token_codec codec(key);
    CHECK(codec.seal("payload", "ctx") == old);
    CHECK(codec.unseal(old, "ctx") == std::optional<std::string>("payload"));
}

TEST_CASE("random bytes: any size, never the same twice, also across threads") {
    CHECK(token_codec::random_bytes(0).empty());
    std::set<std::string> seen;
    for (std::size_t n : {1, 16, 16, 63, 64, 65, 192, 1024, 2000}) CHECK(token_codec::random_bytes(n).size() == n);
    for (int i = 0; i < 300; ++i) CHECK(seen.insert(token_codec::random_bytes(16)).second);  // crosses block refills
    std::string other;
    std::thread([&] { other = token_codec::random_bytes(16); }).join();
    CHECK(seen.insert(other).second);
}

TEST_CASE("model constraints: ids, names, lengths in code points, counts") {
    CHECK_NOTHROW(check_pool_id("us-east-1:0123abcd-0000-1111-2222-333344445555"));
    CHECK(code_of([] { check_pool_id("us-east-1:0123ABCD"); }) == error_code::invalid_parameter);
    CHECK(code_of([] { check_pool_id("no-colon"); }) == error_code::invalid_parameter);
    CHECK(code_of([] { check_identity_id("us-east-1:" + std::string(50, 'a')); }) == error_code::invalid_parameter);
    CHECK_NOTHROW(check_dataset_name("profile.us-east-1:0b1c_x-y"));
    CHECK(code_of([] { check_dataset_name("has space"); }) == error_code::invalid_parameter);
    CHECK(code_of([] { check_dataset_name(std::string(129, 'a')); }) == error_code::invalid_parameter);
    CHECK_NOTHROW(check_length(std::string(1024 / 4 * 4, 'a'), "key", 1, 1024));
    std::string emoji_1024;
    for (int i = 0; i < 1024; ++i) emoji_1024 += "\xF0\x9F\x98\x80";
    CHECK_NOTHROW(check_length(emoji_1024, "key", 1, 1024));
    CHECK(code_of([&] { check_length(emoji_1024 + "a", "key", 1, 1024); }) == error_code::invalid_parameter);
    try {
        check_length("", "RecordPatches.1.key", 1, 1024);
    } catch (const api_error& e) {
        CHECK(std::string(e.what()).find("RecordPatches.1.key") != std::string::npos);
    }
    CHECK(parse_count("0", "lastSyncCount") == 0);
    CHECK(parse_count("9223372036854775807", "x") == INT64_MAX);
    CHECK(code_of([] { parse_count("9223372036854775808", "x"); }) == error_code::invalid_parameter);
    CHECK(code_of([] { parse_count("-1", "x"); }) == error_code::invalid_parameter);
    CHECK(code_of([] { parse_count("1.5", "x"); }) == error_code::invalid_parameter);
}

TEST_CASE("JSON: objects only, types enforced, null is absent; timestamps as epoch seconds") {
    CHECK(code_of([] { parse_json_object("[1]"); }) == error_code::serialization);
    CHECK(code_of([] { parse_json_object("{\"a\":"); }) == error_code::serialization);
    CHECK(code_of([] { parse_json_object("{} x"); }) == error_code::serialization);
    CHECK(code_of([] { parse_json_object("{\"a\":\"\xC3\x28\"}"); }) == error_code::serialization);
    auto doc = parse_json_object(R"({"s":"v","n":12,"f":3.0,"nul":null,"t":1700574873.059,"ts":"1577934245","bad":"x"})");
    CHECK(get_string(doc, "s") == std::optional<std::string>("v"));
    CHECK_FALSE(get_string(doc, "nul"));
    CHECK(code_of([&] { get_string(doc, "n"); }) == error_code::serialization);
    CHECK(get_long(doc, "f") == std::optional<int64_t>(3));
    CHECK(get_timestamp_ms(doc, "t") == std::optional<int64_t>(1700574873059));
    CHECK(get_timestamp_ms(doc, "ts") == std::optional<int64_t>(1577934245000));
    CHECK(code_of([&] { get_timestamp_ms(doc, "bad"); }) == error_code::serialization);
    CHECK(parse_json_object("").IsObject());
    // nesting beyond max_json_depth is refused, not a stack overflow
    std::string deepest = std::string(max_json_depth - 1, '[') + std::string(max_json_depth - 1, ']');
    CHECK(parse_json_object("{\"a\":" + deepest + "}").IsObject());
    CHECK(code_of([] { parse_json_object("{\"a\":" + std::string(max_json_depth, '[')); }) ==
          error_code::serialization);
    CHECK(code_of([] { parse_json_object(std::string(1000000, '[')); }) == error_code::serialization);
    CHECK(format_epoch_seconds(1700574875820) == "1700574875.82");
    CHECK(format_epoch_seconds(1700574875000) == "1700574875");
    CHECK(format_epoch_seconds(1700574875001) == "1700574875.001");
}
