#include "bench/workload.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace cogsync::bench {
namespace {

constexpr std::string_view value_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

std::string identity_id(int index) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "us-east-1:00000000-0000-4000-8000-%012x", unsigned(index));
    return buf;
}

std::optional<std::int64_t> int_member(const rapidjson::Value& obj, const char* name) {
    auto it = obj.FindMember(name);
    if (it == obj.MemberEnd() || !it->value.IsInt64()) {
        return std::nullopt;
    }
    return it->value.GetInt64();
}

// The (Key, SyncCount) of each record in `records`; nothing when one is malformed.
std::optional<std::vector<key_count>> key_counts(const rapidjson::Value& records) {
    std::vector<key_count> out;
    out.reserve(records.Size());
    for (const auto& record : records.GetArray()) {
        if (!record.IsObject() || !record.HasMember("Key") || !record["Key"].IsString()) {
            return std::nullopt;
        }
        auto count = int_member(record, "SyncCount");
        if (!count) {
            return std::nullopt;
        }
        out.emplace_back(std::string(record["Key"].GetString(), record["Key"].GetStringLength()), *count);
    }
    return out;
}

}  // namespace

std::string encode_segment(std::string_view raw) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(raw.size() + 8);
    for (unsigned char c : raw) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
        if (unreserved) {
            out.push_back(char(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

workload::workload(const bench_options& options) : options_(options) {
    pool_path_ = "/identitypools/" + encode_segment(options.pool_id) + "/identities/";
    for (int k = 0; k < options.keys_per_dataset; ++k) {
        key_names_.push_back(std::string("k").append(std::to_string(k)));
    }
}

sync_target workload::pick(rng_type& rng, int client_index, int client_count) const {
    if (options_.hot_datasets > 0 && std::bernoulli_distribution(options_.hot_fraction)(rng)) {
        const int hot = std::uniform_int_distribution<int>(0, options_.hot_datasets - 1)(rng);
        return {hot % options_.identities, options_.datasets_per_identity};
    }
    return pick_private(rng, client_index, client_count);
}

sync_target workload::pick_private(rng_type& rng, int client_index, int client_count) const {
    const int n = options_.identities;
    const int owned = client_index < n ? (n - client_index + client_count - 1) / client_count : 0;
    const int identity =
        owned > 0 ? client_index + client_count * std::uniform_int_distribution<int>(0, owned - 1)(rng)
                  : std::uniform_int_distribution<int>(0, n - 1)(rng);
    const int dataset = std::uniform_int_distribution<int>(0, options_.datasets_per_identity - 1)(rng);
    return {identity, dataset};
}

dataset_state workload::new_state(const sync_target& t) const {
    const bool populated = options_.populated && t.dataset < options_.datasets_per_identity &&
                           t.identity < options_.identities;
    dataset_state s;
    s.last_sync_count_ = populated ? 1 : 0;
    s.key_sync_counts_.assign(std::size_t(options_.keys_per_dataset), s.last_sync_count_);
    return s;
}

sync_target workload::populate_target(int n) const {
    return {n / options_.datasets_per_identity, n % options_.datasets_per_identity};
}

std::string workload::dataset_path(const sync_target& t) const {
    std::string path = pool_path_;
    path += encode_segment(identity_id(t.identity));
    path += "/datasets/";
    path += t.dataset == options_.datasets_per_identity ? "hot" : "ds" + std::to_string(t.dataset);
    return path;
}

std::string workload::list_target(const sync_target& t, std::int64_t last_sync_count) const {
    return dataset_path(t) + "/records?lastSyncCount=" + std::to_string(last_sync_count);
}

std::string workload::update_target(const sync_target& t) const { return dataset_path(t); }

std::string workload::trigger_update_target() const {
    return pool_path_ + encode_segment(identity_id(options_.identities)) + "/datasets/slow";
}

std::string workload::trigger_list_target() const { return trigger_update_target() + "/records?lastSyncCount=0"; }

std::string workload::events_target() const {
    return "/identitypools/" + encode_segment(options_.pool_id) + "/events";
}

std::string workload::events_body(std::string_view arn) {
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    w.StartObject();
    w.Key("Events");
    w.StartObject();
    w.Key("SyncTrigger");
    w.String(arn.data(), rapidjson::SizeType(arn.size()));
    w.EndObject();
    w.EndObject();
    return {out.GetString(), out.GetSize()};
}

std::string workload::make_update_body(rng_type& rng, const dataset_state& state,
                                       std::string_view session_token) const {
    const int keys = options_.keys_per_dataset;
    const int patches = std::uniform_int_distribution<int>(1, std::min(options_.max_patches, keys))(rng);
    std::vector<int> order(static_cast<std::size_t>(keys));
    std::iota(order.begin(), order.end(), 0);
    for (int i = 0; i < patches; ++i) {  // partial Fisher-Yates: distinct keys
        std::swap(order[std::size_t(i)],
                  order[std::size_t(std::uniform_int_distribution<int>(i, keys - 1)(rng))]);
    }
    order.resize(std::size_t(patches));
    return patches_body(rng, state, order, session_token);
}

std::string workload::make_populate_body(rng_type& rng, const dataset_state& state,
                                         std::string_view session_token) const {
    std::vector<int> all(static_cast<std::size_t>(options_.keys_per_dataset));
    std::iota(all.begin(), all.end(), 0);
    return patches_body(rng, state, all, session_token);
}

std::string workload::make_key_body(rng_type& rng, std::string_view key, std::int64_t sync_count,
                                    std::string_view session_token) const {
    return patch_list_body(rng, {{key, sync_count}}, session_token);
}

std::string workload::patches_body(rng_type& rng, const dataset_state& state, const std::vector<int>& keys,
                                   std::string_view session_token) const {
    std::vector<std::pair<std::string_view, std::int64_t>> patches;
    for (int key : keys) {
        patches.emplace_back(key_names_[std::size_t(key)], state.key_sync_counts_[std::size_t(key)]);
    }
    return patch_list_body(rng, patches, session_token);
}

std::string workload::patch_list_body(rng_type& rng,
                                      const std::vector<std::pair<std::string_view, std::int64_t>>& patches,
                                      std::string_view session_token) const {
    std::uniform_int_distribution<int> length(options_.min_value_bytes, options_.max_value_bytes);
    std::uniform_int_distribution<std::size_t> letter(0, value_alphabet.size() - 1);

    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    w.StartObject();
    w.Key("SyncSessionToken");
    w.String(session_token.data(), rapidjson::SizeType(session_token.size()));
    w.Key("DeviceId");
    w.String("bench");
    w.Key("RecordPatches");
    w.StartArray();
    std::string value;
    for (const auto& [key, sync_count] : patches) {
        value.resize(std::size_t(length(rng)));
        for (auto& c : value) {
            c = value_alphabet[letter(rng)];
        }
        w.StartObject();
        w.Key("Op");
        w.String("replace");
        w.Key("Key");
        w.String(key.data(), rapidjson::SizeType(key.size()));
        w.Key("Value");
        w.String(value.c_str(), rapidjson::SizeType(value.size()));
        w.Key("SyncCount");
        w.Int64(sync_count);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return {out.GetString(), out.GetSize()};
}

int workload::key_index(std::string_view key) const {
    if (key.size() < 2 || key[0] != 'k') {
        return -1;
    }
    int n = 0;
    for (char c : key.substr(1)) {
        if (c < '0' || c > '9' || n > options_.keys_per_dataset) {
            return -1;
        }
        n = n * 10 + (c - '0');
    }
    return n < options_.keys_per_dataset ? n : -1;
}

std::optional<list_page> parse_list_response(std::string_view body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return std::nullopt;
    }
    auto token = doc.FindMember("SyncSessionToken");
    auto records = doc.FindMember("Records");
    auto dataset_count = int_member(doc, "DatasetSyncCount");
    if (token == doc.MemberEnd() || !token->value.IsString() || records == doc.MemberEnd() ||
        !records->value.IsArray() || !dataset_count) {
        return std::nullopt;
    }
    auto counts = key_counts(records->value);
    if (!counts) {
        return std::nullopt;
    }
    list_page page;
    page.token.assign(token->value.GetString(), token->value.GetStringLength());
    page.dataset_sync_count = *dataset_count;
    auto exists = doc.FindMember("DatasetExists");
    auto deleted_after = doc.FindMember("DatasetDeletedAfterRequestedSyncCount");
    page.start_over = (exists != doc.MemberEnd() && exists->value.IsFalse()) ||
                      (deleted_after != doc.MemberEnd() && deleted_after->value.IsTrue());
    page.records = std::move(*counts);
    return page;
}

std::optional<std::vector<key_count>> parse_update_response(std::string_view body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("Records") || !doc["Records"].IsArray()) {
        return std::nullopt;
    }
    return key_counts(doc["Records"]);
}

std::optional<std::string> workload::apply_list_response(std::string_view body,
                                                         dataset_state& state) const {
    auto page = parse_list_response(body);
    if (!page) {
        return std::nullopt;
    }
    if (page->start_over) {
        state.reset();
    }
    for (const auto& [name, count] : page->records) {
        if (const int key = key_index(name); key >= 0) {
            state.key_sync_counts_[std::size_t(key)] = count;
        }
    }
    state.last_sync_count_ = page->dataset_sync_count;
    return std::move(page->token);
}

bool workload::apply_update_response(std::string_view body, dataset_state& state) const {
    auto records = parse_update_response(body);
    if (!records) {
        return false;
    }
    std::int64_t newest = 0;
    for (const auto& [name, count] : *records) {
        if (const int key = key_index(name); key >= 0) {
            state.key_sync_counts_[std::size_t(key)] = count;
        }
        newest = std::max(newest, count);
    }
    // Fast-forward only when nobody else wrote in between, as Android and iOS do (PROTOCOL.md 5.2).
    if (newest == state.last_sync_count_ + 1) {
        state.last_sync_count_ = newest;
    }
    return true;
}

}  // namespace cogsync::bench
