// DescribeIdentityUsage (PROTOCOL.md 3.2, 6.1): live datasets and their bytes. An identity with
// no data answers zeros: identities are minted by Cognito Identity, which this server does not
// see, so "never wrote" is not "does not exist".
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"

namespace cogsync::api::ops {

step describe_identity_usage(const call& c, context& ctx) {
    check_identity_path(c);
    auto u = ctx.store.read(
        [&](storage::read_view& v) { return v.usage_of_identity(c.param("IdentityPoolId"), c.param("IdentityId")); });
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("IdentityUsage");
    w.StartObject();
    write_string_member(w, "IdentityId", c.param("IdentityId"));
    write_string_member(w, "IdentityPoolId", c.param("IdentityPoolId"));
    if (u.last_modified_ms > 0) {
        w.Key("LastModifiedDate");
        write_timestamp(w, u.last_modified_ms);
    }
    w.Key("DatasetCount");
    w.Int64(u.dataset_count);
    w.Key("DataStorage");
    w.Int64(u.data_storage);
    w.EndObject();
    w.EndObject();
    return json_response(buf);
}

}  // namespace cogsync::api::ops
