// The JSON codec (api/json_codec.hpp) on arbitrary request bodies: parse_json_object, then every
// getter on every member, recursing into nested objects and arrays of objects as the operations
// do (UpdateRecords' RecordPatches). Only api_error may escape. Properties: a string read back
// through write_string re-parses to the same bytes, and every timestamp the getter accepts
// formats (write_timestamp) to JSON that parses back to the same millisecond (checked below 1e15 ms,
// about year 33000: past that a double no longer holds every millisecond).
#include <cstdint>
#include <string>

#include "api/api_error.hpp"
#include "api/json_codec.hpp"
#include "fuzz/fuzz_input.hpp"

namespace {

using namespace cogsync;

std::string wrap(void (*write)(api::json_writer&, const void*), const void* arg) {
    rapidjson::StringBuffer buf;
    api::json_writer w(buf);
    w.StartObject();
    w.Key("v");
    write(w, arg);
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
}

void check_string_round_trip(const std::string& s) {
    auto text = wrap([](api::json_writer& w, const void* p) { api::write_string(w, *static_cast<const std::string*>(p)); }, &s);
    if (api::get_string(api::parse_json_object(text), "v") != s) fuzz::property_failed();
}

void check_timestamp_round_trip(int64_t ms) {
    if (ms >= 1'000'000'000'000'000 || ms <= -1'000'000'000'000'000) return;
    auto text = wrap([](api::json_writer& w, const void* p) { api::write_timestamp(w, *static_cast<const int64_t*>(p)); }, &ms);
    if (api::get_timestamp_ms(api::parse_json_object(text), "v") != ms) fuzz::property_failed();
}

template <class Fn>
void expect_value_or_error(Fn&& fn) {
    try {
        fn();
    } catch (const api::api_error&) {
    }
}

void visit(const rapidjson::Value& object, int depth) {
    if (depth > 8) return;
    for (const auto& m : object.GetObject()) {
        std::string name(m.name.GetString(), m.name.GetStringLength());
        if (name.find('\0') != std::string::npos) continue;  // the getters take C-string names
        const char* n = name.c_str();
        expect_value_or_error([&] {
            if (auto s = api::get_string(object, n)) check_string_round_trip(*s);
        });
        expect_value_or_error([&] { api::get_long(object, n); });
        expect_value_or_error([&] {
            if (auto ms = api::get_timestamp_ms(object, n)) check_timestamp_round_trip(*ms);
        });
        if (m.value.IsObject()) visit(m.value, depth + 1);
        if (m.value.IsArray())
            for (const auto& item : m.value.GetArray())
                if (item.IsObject()) visit(item, depth + 1);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    try {
        auto doc = api::parse_json_object(body);
        visit(doc, 0);
    } catch (const api::api_error&) {
    }
    return 0;
}
