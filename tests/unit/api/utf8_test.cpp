#include <catch2/catch.hpp>

#include <rapidjson/stringbuffer.h>

#include "api/api_error.hpp"
#include "api/json_codec.hpp"
#include "api/utf8.hpp"
#include "api/validate.hpp"
#include "tests/support/api_error_code.hpp"

using namespace cogsync::api;
using cogsync::testing::code_of;

TEST_CASE("UTF-8 is strict: no overlong forms, no surrogates, nothing above U+10FFFF") {
    for (const char* valid : {"", "plain ascii text, longer than eight bytes", "\xC2\x80", "\xDF\xBF",
                              "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF",
                              "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "caf\xC3\xA9 \xF0\x9F\x98\x80"}) {
        INFO(valid);
        CHECK(is_valid_utf8(valid));
        CHECK(utf8_length(valid).has_value());
    }
    for (const char* invalid : {"\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xE0\x9F\xBF", "\xED\xA0\x80",
                                "\xED\xBF\xBF", "\xF0\x80\x80\xAF", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80",
                                "\xF5\x80\x80\x80", "\xFF", "\x80", "\xC3", "\xE2\x82", "abcdefgh\xF0\x9F\x98"}) {
        INFO(invalid);
        CHECK_FALSE(is_valid_utf8(invalid));
        CHECK_FALSE(utf8_length(invalid).has_value());
    }
    CHECK(utf8_length("caf\xC3\xA9") == 4u);
}

TEST_CASE("bytes that are not UTF-8 become U+FFFD, the rest stays") {
    CHECK(to_valid_utf8("Device not found: \xC0\xAF") == "Device not found: \xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(to_valid_utf8("a\xED\xA0\x80z") == "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");
    CHECK(to_valid_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
}

TEST_CASE("a written string is always valid UTF-8") {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_string_member(w, "message", "No operation matches GET /\xFF\xC0\xAF");
    w.EndObject();
    const std::string body(buf.GetString(), buf.GetSize());
    CHECK(is_valid_utf8(body));
    CHECK(body == "{\"message\":\"No operation matches GET /\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"}");
}

TEST_CASE("a request string that is not UTF-8 is refused, also a lone surrogate escape") {
    auto doc = parse_json_object(R"({"Key":"\udc00","Other":"\ud83d\ude00"})");
    CHECK(code_of([&] { get_string(doc, "Key"); }) == error_code::invalid_parameter);
    CHECK(get_string(doc, "Other") == std::optional<std::string>("\xF0\x9F\x98\x80"));
    CHECK(code_of([] { check_length("\xC0\xAF", "DeviceId", 1, 256); }) == error_code::invalid_parameter);
}
