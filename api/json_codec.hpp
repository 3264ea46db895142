#pragma once
// JSON in and out (RapidJSON). Requests: a non-empty body must be one JSON object; members of the
// wrong type are SerializationException (PROTOCOL.md 4.5, 6.2); null equals absent (2.2); a
// string member that is not valid UTF-8 is InvalidParameterException (RapidJSON 1.1 decodes a
// lone "\udc00" escape to the bytes of a surrogate).
// Responses: integers as plain literals, timestamps as epoch seconds with at most 3 decimals (2.1).
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cogsync::api {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

// An empty (or all-whitespace) body parses as {}.
rapidjson::Document parse_json_object(std::string_view body);

// What parse_json_object parses with and throws, for readers that parse a body on their own
// (api/ops/update_input.hpp reads UpdateRecords with RapidJSON's SAX reader).
inline constexpr unsigned request_parse_flags = rapidjson::kParseValidateEncodingFlag;
// Deeper nesting is refused where it starts (a handler returning false there, which
// throw_unparsable reports as such): RapidJSON's reader recurses once per level, and a body of
// a million '[' overflowed the thread's stack.
inline constexpr int max_json_depth = 512;
bool is_blank(std::string_view body);
// Parses `text` into `doc` with request_parse_flags, refusing nesting beyond max_json_depth
// (kParseErrorTermination). Every reader of JSON the server did not write itself uses it: request
// bodies, Sync Trigger replies (a reply of 110,000 '[' killed the server), outbox payloads.
rapidjson::ParseResult parse_bounded(std::string_view text, rapidjson::Document& doc);
[[noreturn]] void throw_unparsable(rapidjson::ParseErrorCode code, std::size_t offset);
[[noreturn]] void throw_not_an_object();

// nullptr when absent or null.
const rapidjson::Value* find_member(const rapidjson::Value& object, const char* name);

std::optional<std::string> get_string(const rapidjson::Value& object, const char* name);
std::optional<int64_t> get_long(const rapidjson::Value& object, const char* name);
// Epoch seconds as an integer, a fraction, or leniently a numeric string; returned in ms.
std::optional<int64_t> get_timestamp_ms(const rapidjson::Value& object, const char* name);

// The same conversions of a member's value already found (nullptr or null: absent); `name` is
// the member the error message names.
std::optional<std::string> string_value(const rapidjson::Value* v, const char* name);
std::optional<int64_t> long_value(const rapidjson::Value* v, const char* name);
std::optional<int64_t> timestamp_ms_value(const rapidjson::Value* v, const char* name);

// Bytes that are not valid UTF-8 (a path segment quoted in an error message) are written as
// U+FFFD, so every body is valid UTF-8 JSON.
void write_string(json_writer& w, std::string_view s);
// The member "key": value of the object being written.
void write_string_member(json_writer& w, const char* key, std::string_view value);
void write_timestamp(json_writer& w, int64_t epoch_ms);
std::string format_epoch_seconds(int64_t epoch_ms);

}  // namespace cogsync::api
