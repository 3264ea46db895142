#include "api/json_codec.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cmath>
#include <cstdlib>

#include "api/api_error.hpp"
#include "api/utf8.hpp"
#include "api/validate.hpp"

namespace cogsync::api {
namespace {

[[noreturn]] void serialization(std::string message) {
    throw api_error(error_code::serialization, std::move(message));
}

bool integral_double(double d) { return std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.2e18; }

// Builds the Document from the reader's events, refusing nesting beyond max_json_depth.
class depth_limited_builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, depth_limited_builder> {
public:
    explicit depth_limited_builder(rapidjson::Document& doc) : doc_(doc) {}
    bool Null() { return doc_.Null(); }
    bool Bool(bool b) { return doc_.Bool(b); }
    bool Int(int i) { return doc_.Int(i); }
    bool Uint(unsigned u) { return doc_.Uint(u); }
    bool Int64(int64_t i) { return doc_.Int64(i); }
    bool Uint64(uint64_t u) { return doc_.Uint64(u); }
    bool Double(double d) { return doc_.Double(d); }
    bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
    bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
    bool StartObject() { return ++depth_ <= max_json_depth && doc_.StartObject(); }
    bool StartArray() { return ++depth_ <= max_json_depth && doc_.StartArray(); }
    bool EndObject(rapidjson::SizeType n) {
        --depth_;
        return doc_.EndObject(n);
    }
    bool EndArray(rapidjson::SizeType n) {
        --depth_;
        return doc_.EndArray(n);
    }

private:
    rapidjson::Document& doc_;
    int depth_ = 0;
};

}  // namespace

bool is_blank(std::string_view body) { return body.find_first_not_of(" \t\r\n") == std::string_view::npos; }

void throw_unparsable(rapidjson::ParseErrorCode code, std::size_t offset) {
    std::string why = code == rapidjson::kParseErrorTermination
                          ? "nested deeper than " + std::to_string(max_json_depth) + " levels."
                          : rapidjson::GetParseError_En(code);
    serialization("Could not parse the request body as JSON: " + why + " (offset " + std::to_string(offset) + ")");
}

void throw_not_an_object() { serialization("The request body must be a JSON object"); }

rapidjson::ParseResult parse_bounded(std::string_view text, rapidjson::Document& doc) {
    // As rapidjson::Document::Parse reads a buffer, with the depth limit in between.
    rapidjson::MemoryStream bytes(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(bytes);
    rapidjson::ParseResult parsed;
    auto build = [&](rapidjson::Document& d) {
        depth_limited_builder builder(d);
        parsed = rapidjson::Reader().Parse<request_parse_flags>(in, builder);
        return !parsed.IsError();
    };
    doc.Populate(build);
    return parsed;
}

rapidjson::Document parse_json_object(std::string_view body) {
    rapidjson::Document doc;
    if (is_blank(body)) {
        doc.SetObject();
        return doc;
    }
    auto parsed = parse_bounded(body, doc);
    if (parsed.IsError()) throw_unparsable(parsed.Code(), parsed.Offset());
    if (!doc.IsObject()) throw_not_an_object();
    return doc;
}

const rapidjson::Value* find_member(const rapidjson::Value& object, const char* name) {
    auto it = object.FindMember(name);
    if (it == object.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
}

std::optional<std::string> get_string(const rapidjson::Value& object, const char* name) {
    return string_value(find_member(object, name), name);
}

std::optional<int64_t> get_long(const rapidjson::Value& object, const char* name) {
    return long_value(find_member(object, name), name);
}

std::optional<int64_t> get_timestamp_ms(const rapidjson::Value& object, const char* name) {
    return timestamp_ms_value(find_member(object, name), name);
}

std::optional<std::string> string_value(const rapidjson::Value* v, const char* name) {
    if (!v || v->IsNull()) return std::nullopt;
    if (!v->IsString()) serialization(std::string("Member '") + name + "' must be a string");
    std::string text(v->GetString(), v->GetStringLength());
    check_utf8(text, name);
    return text;
}

std::optional<int64_t> long_value(const rapidjson::Value* v, const char* name) {
    if (!v || v->IsNull()) return std::nullopt;
    if (v->IsInt64()) return v->GetInt64();
    if (v->IsDouble() && integral_double(v->GetDouble())) return static_cast<int64_t>(v->GetDouble());
    serialization(std::string("Member '") + name + "' must be an integer");
}

std::optional<int64_t> timestamp_ms_value(const rapidjson::Value* v, const char* name) {
    if (!v || v->IsNull()) return std::nullopt;
    double seconds = 0;
    if (v->IsNumber()) {
        seconds = v->GetDouble();
    } else if (v->IsString()) {
        const char* text = v->GetString();
        char* end = nullptr;
        seconds = std::strtod(text, &end);
        if (end == text || *end != '\0')
            serialization("class java.lang.String can not be converted to milliseconds since epoch");
    } else {
        serialization(std::string("Member '") + name + "' must be a timestamp in epoch seconds");
    }
    if (!std::isfinite(seconds) || std::fabs(seconds) > 9.2e12)
        serialization(std::string("Member '") + name + "' is out of range");
    return static_cast<int64_t>(std::llround(seconds * 1000.0));
}

void write_string(json_writer& w, std::string_view s) {
    if (is_valid_utf8(s)) {
        w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
        return;
    }
    auto valid = to_valid_utf8(s);
    w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

void write_string_member(json_writer& w, const char* key, std::string_view value) {
    w.Key(key);
    write_string(w, value);
}

std::string format_epoch_seconds(int64_t epoch_ms) {
    bool negative = epoch_ms < 0;
    uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(epoch_ms) : static_cast<uint64_t>(epoch_ms);
    std::string out = (negative ? "-" : "") + std::to_string(magnitude / 1000);
    unsigned frac = magnitude % 1000;
    if (frac != 0) {
        char digits[4] = {char('0' + frac / 100), char('0' + frac / 10 % 10), char('0' + frac % 10), 0};
        std::string f(digits);
        while (f.back() == '0') f.pop_back();
        out += "." + f;
    }
    return out;
}

void write_timestamp(json_writer& w, int64_t epoch_ms) {
    auto text = format_epoch_seconds(epoch_ms);
    w.RawValue(text.data(), text.size(), rapidjson::kNumberType);
}

}  // namespace cogsync::api
