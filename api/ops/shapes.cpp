#include "api/ops/shapes.hpp"

#include "api/api_error.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {

void check_identity_path(const call& c) {
    check_pool_id(c.param("IdentityPoolId"));
    check_identity_id(c.param("IdentityId"));
}

storage::dataset_id dataset_id_of(const call& c) {
    check_identity_path(c);
    check_dataset_name(c.param("DatasetName"));
    return {c.param("IdentityPoolId"), c.param("IdentityId"), c.param("DatasetName")};
}

void write_dataset(json_writer& w, const storage::dataset& d) {
    w.StartObject();
    write_string_member(w, "IdentityId", d.id.identity);
    write_string_member(w, "DatasetName", d.id.name);
    w.Key("CreationDate");
    write_timestamp(w, d.creation_ms);
    w.Key("LastModifiedDate");
    write_timestamp(w, d.last_modified_ms);
    write_string_member(w, "LastModifiedBy", d.last_modified_by);
    w.Key("DataStorage");
    w.Int64(d.data_storage);
    w.Key("NumRecords");
    w.Int64(d.num_records);
    w.EndObject();
}

void write_record(json_writer& w, const storage::record& r) {
    w.StartObject();
    write_string_member(w, "Key", r.key);
    if (r.value) {  // a tombstone omits Value (PROTOCOL.md 2.2, 5.6)
        write_string_member(w, "Value", *r.value);
    }
    w.Key("SyncCount");
    w.Int64(r.sync_count);
    w.Key("LastModifiedDate");
    write_timestamp(w, r.last_modified_ms);
    write_string_member(w, "LastModifiedBy", r.last_modified_by);
    w.Key("DeviceLastModifiedDate");
    write_timestamp(w, r.device_last_modified_ms);
    w.EndObject();
}

std::optional<std::size_t> page_size(const call& c) {
    auto text = c.query_value("maxResults");
    if (!text) return std::nullopt;
    int64_t n = parse_count(*text, "maxResults");
    if (n < 1)
        throw api_error(error_code::invalid_parameter,
                        "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: "
                        "Member must be greater than or equal to 1");
    return static_cast<std::size_t>(n);
}

void write_pool_usage(json_writer& w, const storage::pool_usage& u) {
    w.StartObject();
    write_string_member(w, "IdentityPoolId", u.pool);
    w.Key("SyncSessionsCount");
    w.Int64(u.sync_sessions);
    w.Key("DataStorage");
    w.Int64(u.data_storage);
    if (u.last_modified_ms > 0) {
        w.Key("LastModifiedDate");
        write_timestamp(w, u.last_modified_ms);
    }
    w.EndObject();
}

response dataset_response(const storage::dataset& d) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("Dataset");
    write_dataset(w, d);
    w.EndObject();
    return json_response(buf);
}

void write_page_end(json_writer& w, std::size_t count, const std::string& next_token) {
    w.Key("Count");
    w.Int64(static_cast<int64_t>(count));
    if (!next_token.empty()) {
        write_string_member(w, "NextToken", next_token);
    }
}

response json_response(const rapidjson::StringBuffer& body) {
    response r;
    r.body.assign(body.GetString(), body.GetSize());
    return r;
}

}  // namespace cogsync::api::ops
