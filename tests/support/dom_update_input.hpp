#pragma once
// The oracle for api/ops/update_input.hpp: UpdateRecords' body read through a RapidJSON DOM and
// the getters of api/json_codec.hpp, as UpdateRecords read it before the SAX reader. The unit
// tests and the fuzz target check that both give the same patches or the same error.
#include <string>
#include <string_view>

#include "api/api_error.hpp"
#include "api/json_codec.hpp"
#include "api/ops/update_input.hpp"
#include "api/validate.hpp"

namespace cogsync::testing {

namespace dom_detail {

[[noreturn]] inline void invalid(const std::string& message) {
    throw api::api_error(api::error_code::invalid_parameter, message);
}

inline std::string null_at(const std::string& member) {
    return "1 validation error detected: Value null at '" + member +
           "' failed to satisfy constraint: Member must not be null";
}

inline api::record_patch read_patch(const rapidjson::Value& v, std::size_t index) {
    using namespace api;
    std::string where = "RecordPatches." + std::to_string(index + 1);
    if (!v.IsObject()) throw api_error(error_code::serialization, "Member '" + where + "' must be an object");
    auto op = get_string(v, "Op");
    auto key = get_string(v, "Key");
    auto count = get_long(v, "SyncCount");
    if (!op) invalid(null_at(where + ".op"));
    if (*op != "replace" && *op != "remove")
        invalid("1 validation error detected: Value '" + *op + "' at '" + where +
                ".op' failed to satisfy constraint: Member must satisfy enum value set: [replace, remove]");
    if (!key) invalid(null_at(where + ".key"));
    check_length(*key, where + ".key", 1, 1024);
    if (!count) invalid(null_at(where + ".syncCount"));
    if (*count < 0)
        invalid("1 validation error detected: Value at '" + where +
                ".syncCount' failed to satisfy constraint: Member must be greater than or equal to 0");
    record_patch p;
    p.remove = *op == "remove";
    p.key = std::move(*key);
    p.value = get_string(v, "Value");
    if (p.value) check_length(*p.value, where + ".value", 0, 1048575);
    p.sync_count = *count;
    p.device_last_modified_ms = get_timestamp_ms(v, "DeviceLastModifiedDate");
    return p;
}

}  // namespace dom_detail

inline api::ops::update_input dom_read_update_input(std::string_view text) {
    using namespace api;
    auto body = parse_json_object(text);
    ops::update_input in;
    in.device_id = get_string(body, "DeviceId");
    if (in.device_id) check_length(*in.device_id, "deviceId", 1, 256);
    auto token = get_string(body, "SyncSessionToken");
    if (!token) dom_detail::invalid(dom_detail::null_at("syncSessionToken"));
    in.token = std::move(*token);
    if (const auto* list = find_member(body, "RecordPatches")) {
        if (!list->IsArray()) throw api_error(error_code::serialization, "Member 'RecordPatches' must be a list");
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i)
            in.patches.push_back(dom_detail::read_patch((*list)[i], i));
    }
    return in;
}

// What a reader made of `body`, as one comparable line: the patches it read, or the error.
template <class Reader>
std::string outcome_of(Reader&& read, std::string_view body) {
    try {
        auto in = read(body);
        std::string out = "token=" + in.token + " device=" + in.device_id.value_or("(none)");
        for (const auto& p : in.patches)
            out += std::string(" | ") + (p.remove ? "remove " : "replace ") + p.key + " = " +
                   p.value.value_or("(none)") + " @" + std::to_string(p.sync_count) + " dlm=" +
                   (p.device_last_modified_ms ? std::to_string(*p.device_last_modified_ms) : "(none)");
        return out;
    } catch (const api::api_error& e) {
        return std::string(e.type_name()) + ": " + e.what();
    }
}

}  // namespace cogsync::testing
