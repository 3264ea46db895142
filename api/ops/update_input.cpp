#include "api/ops/update_input.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>

#include "api/api_error.hpp"
#include "api/json_codec.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw api_error(error_code::invalid_parameter, message); }

std::string null_at(const std::string& member) {
    return "1 validation error detected: Value null at '" + member +
           "' failed to satisfy constraint: Member must not be null";
}

// One member as a getter of api/json_codec.hpp sees it: absent (never named, or null), a value,
// or the SerializationException its type earns, kept until the checks reach that member. Only
// the first occurrence of a name counts, as with FindMember.
template <class T>
struct member {
    bool named = false;
    std::optional<T> value;
    std::optional<api_error> wrong_type;

    template <class Get>
    void take(Get&& get) {
        if (named) return;
        named = true;
        try {
            value = get();
        } catch (const api_error& e) {
            wrong_type = e;
        }
    }
    std::optional<T>& checked() {
        if (wrong_type) throw *wrong_type;
        return value;
    }
};

struct patch_members {
    member<std::string> op, key, value;
    member<int64_t> sync_count, device_last_modified_ms;
};

// One patch's checks, in the order of the header's item 6.
record_patch finish_patch(patch_members& m, std::size_t index) {
    std::string where = "RecordPatches." + std::to_string(index + 1);
    auto& op = m.op.checked();
    auto& key = m.key.checked();
    auto& count = m.sync_count.checked();
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
    p.value = std::move(m.value.checked());
    if (p.value) check_length(*p.value, where + ".value", 0, 1048575);
    p.sync_count = *count;
    p.device_last_modified_ms = m.device_last_modified_ms.checked();
    return p;
}

enum class field { other, device_id, token, record_patches, op, key, value, sync_count, device_last_modified };

field body_field(std::string_view name) {
    if (name == "DeviceId") return field::device_id;
    if (name == "SyncSessionToken") return field::token;
    if (name == "RecordPatches") return field::record_patches;
    return field::other;
}

field patch_field(std::string_view name) {
    if (name == "Op") return field::op;
    if (name == "Key") return field::key;
    if (name == "Value") return field::value;
    if (name == "SyncCount") return field::sync_count;
    if (name == "DeviceLastModifiedDate") return field::device_last_modified;
    return field::other;
}

// The SAX handler. Every scalar becomes a rapidjson::Value built as the DOM builds it (strings
// by reference, not copied) and goes through the DOM getters, so types, nulls, numbers and
// timestamps convert exactly as api/json_codec.hpp converts them. An object or list where the
// reader expects none is handed over as an empty one of its kind (the getters refuse its type)
// and then skipped whole. Errors are kept, never thrown from here: a later syntax error must win.
// Only nesting beyond max_json_depth stops the reader, where parse_json_object stops too.
class body_handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, body_handler> {
public:
    explicit body_handler(const rapidjson::MemoryStream& bytes) : bytes_(bytes) {}

    bool Null() { return scalar(rapidjson::Value()); }
    bool Bool(bool b) { return scalar(rapidjson::Value(b)); }
    bool Int(int i) { return scalar(rapidjson::Value(i)); }
    bool Uint(unsigned u) { return scalar(rapidjson::Value(u)); }
    bool Int64(int64_t i) { return scalar(rapidjson::Value(i)); }
    bool Uint64(uint64_t u) { return scalar(rapidjson::Value(u)); }
    bool Double(double d) { return scalar(rapidjson::Value(d)); }
    bool String(const char* s, rapidjson::SizeType n, bool) { return scalar(rapidjson::Value(rapidjson::StringRef(s, n))); }
    bool StartObject() { return start(rapidjson::kObjectType); }
    bool StartArray() { return start(rapidjson::kArrayType); }
    bool EndObject(rapidjson::SizeType) { return end(); }
    bool EndArray(rapidjson::SizeType) { return end(); }

    bool Key(const char* s, rapidjson::SizeType n, bool) {
        if (skip_depth_ == 0) field_ = place_ == place::body ? body_field({s, n}) : patch_field({s, n});
        return true;
    }

    // The checks of the header's items 2 to 6, once the whole body parsed.
    update_input finish() {
        if (!root_is_object_) throw_not_an_object();
        update_input in;
        in.device_id = std::move(device_id_.checked());
        if (in.device_id) check_length(*in.device_id, "deviceId", 1, 256);
        auto& token = token_.checked();
        if (!token) invalid(null_at("syncSessionToken"));
        in.token = std::move(*token);
        record_patches_.checked();
        if (patch_error_) throw *patch_error_;
        in.patches = std::move(patches_);
        return in;
    }

private:
    // The object or list the next event belongs to.
    enum class place { root, body, patch_list, patch };

    bool start(rapidjson::Type type) {
        if (++depth_ > max_json_depth) return false;
        if (skip_depth_ > 0) {
            ++skip_depth_;
            return true;
        }
        if (place_ == place::root && type == rapidjson::kObjectType) {
            place_ = place::body;
            return true;
        }
        if (place_ == place::body && field_ == field::record_patches && type == rapidjson::kArrayType &&
            !record_patches_.named) {
            record_patches_.take([] { return true; });
            place_ = place::patch_list;
            list_start_ = bytes_.Tell();
            return true;
        }
        if (place_ == place::patch_list && type == rapidjson::kObjectType && !patch_error_) {
            current_ = patch_members{};
            place_ = place::patch;
            return true;
        }
        scalar(rapidjson::Value(type));
        skip_depth_ = 1;
        return true;
    }

    bool end() {
        --depth_;
        if (skip_depth_ > 0) {
            --skip_depth_;
            return true;
        }
        if (place_ == place::patch) {
            try {
                auto p = finish_patch(current_, index_);
                make_room();
                patches_.push_back(std::move(p));
            } catch (const api_error& e) {
                refuse(e);
            }
            ++index_;
            place_ = place::patch_list;
        } else {
            place_ = place_ == place::patch_list ? place::body : place::root;
        }
        return true;
    }

    bool scalar(const rapidjson::Value& v) {
        if (skip_depth_ > 0) return true;
        switch (place_) {
        case place::root: root_is_object_ = false; break;
        case place::body: take_body_member(v); break;
        case place::patch_list: refuse_element(); break;
        case place::patch: take_patch_member(v); break;
        }
        return true;
    }

    void take_body_member(const rapidjson::Value& v) {
        switch (field_) {
        case field::device_id: device_id_.take([&] { return string_value(&v, "DeviceId"); }); break;
        case field::token: token_.take([&] { return string_value(&v, "SyncSessionToken"); }); break;
        case field::record_patches:
            record_patches_.take([&]() -> std::optional<bool> {
                if (v.IsNull()) return std::nullopt;
                throw api_error(error_code::serialization, "Member 'RecordPatches' must be a list");
            });
            break;
        default: break;
        }
    }

    void take_patch_member(const rapidjson::Value& v) {
        switch (field_) {
        case field::op: current_.op.take([&] { return string_value(&v, "Op"); }); break;
        case field::key: current_.key.take([&] { return string_value(&v, "Key"); }); break;
        case field::value: current_.value.take([&] { return string_value(&v, "Value"); }); break;
        case field::sync_count: current_.sync_count.take([&] { return long_value(&v, "SyncCount"); }); break;
        case field::device_last_modified:
            current_.device_last_modified_ms.take([&] { return timestamp_ms_value(&v, "DeviceLastModifiedDate"); });
            break;
        default: break;
        }
    }

    // Room for the patches still to come, guessed from the bytes per patch so far, but never
    // more than the rest of the body in bytes: many small patches then grow the vector about once
    // instead of doubling it (holding old and new arrays at once, 3x the patches' size), and a
    // few small patches before a large one reserve no more than that one takes anyway.
    void make_room() {
        if (patches_.size() < patches_.capacity()) return;
        std::size_t at = bytes_.Tell(), rest = bytes_.size_ - at;
        std::size_t per_patch = (at - list_start_) / (patches_.size() + 1);
        patches_.reserve(patches_.size() + 1 + rest / std::max(per_patch, sizeof(record_patch)));
    }

    // A list element that is not an object, or any element after the first bad patch.
    void refuse_element() {
        if (!patch_error_)
            refuse(api_error(error_code::serialization,
                             "Member 'RecordPatches." + std::to_string(index_ + 1) + "' must be an object"));
        ++index_;
    }

    // The first bad patch decides the answer; the patches read so far are dropped at once, since
    // the body is refused anyway.
    void refuse(const api_error& e) {
        patch_error_ = e;
        patches_ = {};
    }

    const rapidjson::MemoryStream& bytes_;
    std::size_t list_start_ = 0;  // offset of the patch list in the body
    place place_ = place::root;
    field field_ = field::other;
    int depth_ = 0;       // of the object or list being read, 1 for the body
    int skip_depth_ = 0;  // > 0 inside a value being skipped
    bool root_is_object_ = true;
    member<std::string> device_id_, token_;
    member<bool> record_patches_;
    patch_members current_;
    std::size_t index_ = 0;  // of the next list element
    std::vector<record_patch> patches_;
    std::optional<api_error> patch_error_;
};

}  // namespace

update_input read_update_input(std::string_view body) {
    rapidjson::MemoryStream bytes(body.data(), body.size());
    body_handler handler(bytes);
    if (!is_blank(body)) {
        // As rapidjson::Document::Parse reads it, so offsets and messages match parse_json_object.
        rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(bytes);
        rapidjson::Reader reader;
        auto parsed = reader.Parse<request_parse_flags>(in, handler);
        if (parsed.IsError()) throw_unparsable(parsed.Code(), parsed.Offset());
    }
    return handler.finish();
}

}  // namespace cogsync::api::ops
