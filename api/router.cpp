#include "api/router.hpp"

#include "api/api_error.hpp"
#include "api/ops/operations.hpp"

namespace cogsync::api {
namespace {

constexpr auto dev = auth::access::developer_only;
constexpr auto id = auth::access::identity_only;
constexpr auto both = auth::access::either;

constexpr const char* dataset_path = "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}";
constexpr const char* subscription_path =
    "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}/subscriptions/{DeviceId}";

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/') return out;
    path.remove_prefix(1);
    while (true) {
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

bool is_param(std::string_view part) { return part.size() > 2 && part.front() == '{'; }

// Whether every literal segment matches and every {Name} segment is non-empty.
bool literals_match(const std::vector<std::string_view>& parts, const std::vector<std::string_view>& segments) {
    if (parts.size() != segments.size()) return false;
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (is_param(parts[i]) ? segments[i].empty() : parts[i] != segments[i]) return false;
    return true;
}

// The {Name} segments, percent-decoded. Only for a path whose literals match, so a bad escape
// only counts against a path that matches.
query_list path_params(const std::vector<std::string_view>& parts, const std::vector<std::string_view>& segments) {
    query_list found;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (!is_param(parts[i])) continue;
        std::string name(parts[i].substr(1, parts[i].size() - 2));
        auto decoded = percent_decode(segments[i]);
        if (!decoded) throw api_error(error_code::invalid_parameter, "Malformed percent-encoding in " + name);
        found.emplace_back(std::move(name), std::move(*decoded));
    }
    return found;
}

}  // namespace

const std::vector<route>& route_table() {
    static const std::vector<route> table = {
        {"POST", "/identitypools/{IdentityPoolId}/bulkpublish", "BulkPublish", dev, ops::bulk_publish},
        {"DELETE", dataset_path, "DeleteDataset", both, ops::delete_dataset},
        {"GET", dataset_path, "DescribeDataset", both, ops::describe_dataset},
        {"GET", "/identitypools/{IdentityPoolId}", "DescribeIdentityPoolUsage", dev, ops::describe_identity_pool_usage},
        {"GET", "/identitypools/{IdentityPoolId}/identities/{IdentityId}", "DescribeIdentityUsage", both, ops::describe_identity_usage},
        {"POST", "/identitypools/{IdentityPoolId}/getBulkPublishDetails", "GetBulkPublishDetails", dev, ops::get_bulk_publish_details},
        {"GET", "/identitypools/{IdentityPoolId}/events", "GetCognitoEvents", dev, ops::get_cognito_events},
        {"GET", "/identitypools/{IdentityPoolId}/configuration", "GetIdentityPoolConfiguration", dev, ops::get_identity_pool_configuration},
        {"GET", "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets", "ListDatasets", both, ops::list_datasets},
        {"GET", "/identitypools", "ListIdentityPoolUsage", dev, ops::list_identity_pool_usage},
        {"GET", "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}/records", "ListRecords", both, ops::list_records},
        {"POST", "/identitypools/{IdentityPoolId}/identity/{IdentityId}/device", "RegisterDevice", id, ops::register_device},
        {"POST", "/identitypools/{IdentityPoolId}/events", "SetCognitoEvents", dev, ops::set_cognito_events},
        {"POST", "/identitypools/{IdentityPoolId}/configuration", "SetIdentityPoolConfiguration", dev, ops::set_identity_pool_configuration},
        {"POST", subscription_path, "SubscribeToDataset", id, ops::subscribe_to_dataset},
        {"DELETE", subscription_path, "UnsubscribeFromDataset", id, ops::unsubscribe_from_dataset},
        {"POST", dataset_path, "UpdateRecords", both, ops::update_records},
    };
    return table;
}

void refuse_dot_segments(std::string_view raw_path) {
    for (auto segment : split_path(raw_path))
        if (segment == "." || segment == "..")
            throw api_error(error_code::invalid_parameter, "The path must not contain '.' or '..' segments");
}

// route_table()'s paths, split once.
const std::vector<std::vector<std::string_view>>& route_parts() {
    static const auto parts = [] {
        std::vector<std::vector<std::string_view>> out;
        for (const auto& r : route_table()) out.push_back(split_path(r.path));
        return out;
    }();
    return parts;
}

route_match match_route(std::string_view method, std::string_view raw_path) {
    const auto segments = split_path(raw_path);
    const auto& table = route_table();
    const auto& parts = route_parts();
    bool path_known = false;
    std::string_view decoded_for;  // the template whose params `params` holds
    query_list params;
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto& r = table[i];
        if (decoded_for != r.path) {  // several methods share a path: decode it once
            if (!literals_match(parts[i], segments)) continue;
            params = path_params(parts[i], segments);
            decoded_for = r.path;
        }
        path_known = true;
        if (method == r.method) return route_match{&r, std::move(params)};
    }
    if (path_known)
        throw api_error(error_code::method_not_allowed, "Method " + std::string(method) + " is not allowed on this resource");
    throw api_error(error_code::unknown_operation, "No operation matches " + std::string(method) + " " + std::string(raw_path));
}

}  // namespace cogsync::api
