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
    identity_segments_.reserve(std::size_t(options.identities));
    for (int i = 0; i < options.identities; ++i) {
        identity_segments_.push_back(encode_segment(identity_id(i)));
    }
    for (int k = 0; k < options.keys_per_dataset; ++k) {
        key_names_.push_back(std::string("k").append(std::to_string(k)));
    }
}

sync_target workload::pick(rng_type& rng, int client_index, int client_count) const {
    const int n = options_.identities;
    if (options_.hot_datasets > 0 && std::bernoulli_distribution(options_.hot_fraction)(rng)) {
        const int hot = std::uniform_int_distribution<int>(0, options_.hot_datasets - 1)(rng);
        return {hot % n, options_.datasets_per_identity};
    }
    const int owned = client_index < n ? (n - client_index + client_count - 1) / client_count : 0;
    const int identity =
        owned > 0 ? client_index + client_count * std::uniform_int_distribution<int>(0, owned - 1)(rng)
                  : std::uniform_int_distribution<int>(0, n - 1)(rng);
    const int dataset = std::uniform_int_distribution<int>(0, options_.datasets_per_identity - 1)(rng);
    return {identity, dataset};
}

dataset_state workload::new_state() const {
    dataset_state s;
    s.key_sync_counts_.assign(std::size_t(options_.keys_per_dataset), 0);
    return s;
}

std::string workload::dataset_path(const sync_target& t) const {
    std::string path = pool_path_;
    path += identity_segments_[std::size_t(t.identity)];
    path += "/datasets/";
    path += t.dataset == options_.datasets_per_identity ? "hot" : "ds" + std::to_string(t.dataset);
    return path;
}

std::string workload::list_target(const sync_target& t, std::int64_t last_sync_count) const {
    return dataset_path(t) + "/records?lastSyncCount=" + std::to_string(last_sync_count);
}

std::string workload::update_target(const sync_target& t) const { return dataset_path(t); }

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
    for (int i = 0; i < patches; ++i) {
        const auto key = std::size_t(order[std::size_t(i)]);
        value.resize(std::size_t(length(rng)));
        for (auto& c : value) {
            c = value_alphabet[letter(rng)];
        }
        w.StartObject();
        w.Key("Op");
        w.String("replace");
        w.Key("Key");
        w.String(key_names_[key].c_str(), rapidjson::SizeType(key_names_[key].size()));
        w.Key("Value");
        w.String(value.c_str(), rapidjson::SizeType(value.size()));
        w.Key("SyncCount");
        w.Int64(state.key_sync_counts_[key]);
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

std::optional<std::string> workload::apply_list_response(std::string_view body,
                                                         dataset_state& state) const {
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
    // A dataset that is gone, or was re-created since our count, starts over (PROTOCOL.md 5.7).
    auto exists = doc.FindMember("DatasetExists");
    auto deleted_after = doc.FindMember("DatasetDeletedAfterRequestedSyncCount");
    if ((exists != doc.MemberEnd() && exists->value.IsFalse()) ||
        (deleted_after != doc.MemberEnd() && deleted_after->value.IsTrue())) {
        state.reset();
    }
    for (const auto& record : records->value.GetArray()) {
        if (!record.IsObject() || !record.HasMember("Key") || !record["Key"].IsString()) {
            return std::nullopt;
        }
        auto count = int_member(record, "SyncCount");
        const int key = key_index({record["Key"].GetString(), record["Key"].GetStringLength()});
        if (!count) {
            return std::nullopt;
        }
        if (key >= 0) {
            state.key_sync_counts_[std::size_t(key)] = *count;
        }
    }
    state.last_sync_count_ = *dataset_count;
    return std::string(token->value.GetString(), token->value.GetStringLength());
}

bool workload::apply_update_response(std::string_view body, dataset_state& state) const {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("Records") || !doc["Records"].IsArray()) {
        return false;
    }
    std::int64_t newest = 0;
    for (const auto& record : doc["Records"].GetArray()) {
        if (!record.IsObject() || !record.HasMember("Key") || !record["Key"].IsString()) {
            return false;
        }
        auto count = int_member(record, "SyncCount");
        if (!count) {
            return false;
        }
        const int key = key_index({record["Key"].GetString(), record["Key"].GetStringLength()});
        if (key >= 0) {
            state.key_sync_counts_[std::size_t(key)] = *count;
        }
        newest = std::max(newest, *count);
    }
    // Fast-forward only when nobody else wrote in between, as Android and iOS do (PROTOCOL.md 5.2).
    if (newest == state.last_sync_count_ + 1) {
        state.last_sync_count_ = newest;
    }
    return true;
}

}  // namespace cogsync::bench
