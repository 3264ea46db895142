#include "api/sync_trigger.hpp"

#include <rapidjson/document.h>

#include <unordered_set>

#include "api/api_error.hpp"
#include "api/json_codec.hpp"
#include "api/validate.hpp"

namespace cogsync::api {
namespace {

[[noreturn]] void bad_output(const std::string& why) {
    throw api_error(error_code::invalid_lambda_function_output, "The Lambda function returned invalid output: " + why);
}

// The last patch of each key, in first-seen key order (5.4: the last occurrence wins).
std::vector<record_patch> last_per_key(const std::vector<record_patch>& patches) {
    std::vector<record_patch> out;
    std::map<std::string, std::size_t> slot;
    for (const auto& p : patches) {
        auto [it, inserted] = slot.try_emplace(p.key, out.size());
        if (inserted) out.push_back(p);
        else out[it->second] = p;
    }
    return out;
}

std::optional<std::string> live_value(const trigger_snapshot& s, const std::string& key) {
    auto it = s.records.find(key);
    return it == s.records.end() ? std::nullopt : it->second.value;
}

void write_optional(json_writer& w, const std::optional<std::string>& v) {
    if (v) write_string(w, *v);
    else w.Null();
}

void write_entry(json_writer& w, const std::string& key, const std::optional<std::string>& old_value,
                 const std::optional<std::string>& new_value, bool remove) {
    write_string(w, key);
    w.StartObject();
    w.Key("oldValue");
    write_optional(w, old_value);
    w.Key("newValue");
    write_optional(w, new_value);
    w.Key("op");
    w.String(remove ? "remove" : "replace");
    w.EndObject();
}

// The reply's value for one entry: nullopt means remove.
std::optional<std::string> reply_value(const std::string& key, const rapidjson::Value& entry) {
    if (!entry.IsObject()) bad_output("datasetRecords." + key + " is not an object");
    bool remove = false;
    if (auto op = entry.FindMember("op"); op != entry.MemberEnd() && !op->value.IsNull()) {
        if (!op->value.IsString()) bad_output("datasetRecords." + key + ".op is not a string");
        std::string text(op->value.GetString(), op->value.GetStringLength());
        if (text != "replace" && text != "remove") bad_output("datasetRecords." + key + ".op is '" + text + "'");
        remove = text == "remove";
    }
    auto nv = entry.FindMember("newValue");
    if (nv == entry.MemberEnd() || nv->value.IsNull() || remove) return std::nullopt;
    if (!nv->value.IsString()) bad_output("datasetRecords." + key + ".newValue is not a string");
    std::string value(nv->value.GetString(), nv->value.GetStringLength());
    auto length = utf8_length(value);
    if (!length || *length > 1048575) bad_output("datasetRecords." + key + ".newValue is too long");
    return value;
}

// Everything but datasetRecords must come back exactly as sent.
const rapidjson::Value& checked_records(const rapidjson::Document& sent, const rapidjson::Document& reply) {
    if (!reply.IsObject()) bad_output("the reply is not a JSON object");
    for (const auto& m : sent.GetObject()) {
        std::string name(m.name.GetString(), m.name.GetStringLength());
        if (name == "datasetRecords") continue;
        auto it = reply.FindMember(m.name);
        if (it == reply.MemberEnd() || it->value != m.value) bad_output("member '" + name + "' was changed");
    }
    for (const auto& m : reply.GetObject())
        if (!sent.HasMember(m.name))
            bad_output("member '" + std::string(m.name.GetString(), m.name.GetStringLength()) + "' was added");
    auto records = reply.FindMember("datasetRecords");
    if (records == reply.MemberEnd() || !records->value.IsObject()) bad_output("datasetRecords is not an object");
    return records->value;
}

}  // namespace

std::string sync_trigger_event(const trigger_snapshot& s, const std::vector<record_patch>& patches) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("version");
    w.Int(2);
    w.Key("eventType");
    w.String("SyncTrigger");
    w.Key("region");
    write_string(w, s.region);
    write_string_member(w, "identityPoolId", s.id.pool);
    write_string_member(w, "identityId", s.id.identity);
    write_string_member(w, "datasetName", s.id.name);
    w.Key("datasetRecords");
    w.StartObject();
    auto patched = last_per_key(patches);
    std::unordered_set<std::string> touched;
    for (const auto& p : patched) {
        touched.insert(p.key);
        bool remove = p.remove || !p.value;
        write_entry(w, p.key, live_value(s, p.key), remove ? std::nullopt : p.value, remove);
    }
    for (const auto& [key, r] : s.records)
        if (r.value && !touched.count(key)) write_entry(w, key, r.value, r.value, false);
    w.EndObject();
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

std::vector<record_patch> apply_trigger_reply(const trigger_snapshot& s, const std::vector<record_patch>& patches,
                                              const std::string& sent_event, const std::string& reply) {
    rapidjson::Document sent, got;
    sent.Parse(sent_event.data(), sent_event.size());
    if (auto parsed = parse_bounded(reply, got); parsed.IsError())
        bad_output(parsed.Code() == rapidjson::kParseErrorTermination
                       ? "the reply is nested deeper than " + std::to_string(max_json_depth) + " levels"
                       : "the reply is not valid JSON");
    const auto& records = checked_records(sent, got);

    std::map<std::string, std::optional<std::string>> wanted;
    for (const auto& m : records.GetObject()) {
        std::string key(m.name.GetString(), m.name.GetStringLength());
        auto length = utf8_length(key);
        if (!length || *length < 1 || *length > 1024) bad_output("a record key is not 1 to 1024 characters");
        wanted[key] = reply_value(key, m.value);
    }
    std::vector<record_patch> out;
    for (auto p : last_per_key(patches)) {
        auto it = wanted.find(p.key);
        if (it == wanted.end()) continue;  // missing from the reply: left unchanged (7.3)
        p.value = it->second;
        p.remove = !p.value;
        out.push_back(std::move(p));
        wanted.erase(it);
    }
    for (auto& [key, value] : wanted) {
        if (value == live_value(s, key)) continue;  // untouched, or removing what is not there
        auto current = s.records.find(key);
        int64_t count = current == s.records.end() ? 0 : current->second.sync_count;
        out.push_back(record_patch{!value, key, std::move(value), count, std::nullopt});
    }
    return out;
}

std::vector<record_patch> run_sync_trigger(sync_trigger_invoker* invoker, const std::string& function_arn,
                                           const trigger_snapshot& s, const std::vector<record_patch>& patches) {
    if (!invoker)
        throw api_error(error_code::invalid_lambda_function_output,
                        "No Sync Trigger handler is configured for " + function_arn);
    auto event = sync_trigger_event(s, patches);
    auto reply = invoker->invoke(function_arn, event);
    return apply_trigger_reply(s, patches, event, reply);
}

}  // namespace cogsync::api
