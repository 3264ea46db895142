#include "api/identity/dispatch.hpp"

#include "api/api_error.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/rate_limits.hpp"
#include "api/json_codec.hpp"
#include "api/metrics.hpp"

namespace cogsync::api::identity {
namespace {

constexpr auto dev = access::developer;
constexpr auto anyone = access::unauthenticated;

[[noreturn]] void unknown(std::string message) { throw api_error(error_code::unknown_operation, std::move(message)); }

[[noreturn]] void forbidden(std::string message) { throw api_error(error_code::not_authorized, std::move(message)); }

// developer routes: in sigv4 mode a signature by a developer key, scoped to cognito-identity.
auth::caller authenticate(const request& req, context& ctx, const route& r) {
    if (r.who == anyone || !ctx.auth) return {};
    ctx.auth->require_developer_key(r.operation);
    auto who = ctx.auth->authenticate(req, ctx.now_ms(), signing_name);
    if (who.kind != auth::caller::kind::developer)
        forbidden(std::string(r.operation) + " cannot be called with Cognito Identity credentials.");
    return who;
}

}  // namespace

const std::vector<route>& route_table() {
    static const std::vector<route> table = {
        {"CreateIdentityPool", dev, ops::create_identity_pool},
        {"DeleteIdentities", dev, ops::delete_identities},
        {"DeleteIdentityPool", dev, ops::delete_identity_pool},
        {"DescribeIdentity", dev, ops::describe_identity},
        {"DescribeIdentityPool", dev, ops::describe_identity_pool},
        {"GetCredentialsForIdentity", anyone, ops::get_credentials_for_identity},
        {"GetId", anyone, ops::get_id},
        {"GetIdentityPoolRoles", dev, ops::get_identity_pool_roles},
        {"GetOpenIdToken", anyone, ops::get_open_id_token},
        {"GetOpenIdTokenForDeveloperIdentity", dev, ops::get_open_id_token_for_developer_identity},
        {"ListIdentities", dev, ops::list_identities},
        {"ListIdentityPools", dev, ops::list_identity_pools},
        {"UnlinkIdentity", anyone, ops::unlink_identity},
        {"LookupDeveloperIdentity", dev, ops::lookup_developer_identity},
        {"MergeDeveloperIdentities", dev, ops::merge_developer_identities},
        {"UnlinkDeveloperIdentity", dev, ops::unlink_developer_identity},
        {"SetIdentityPoolRoles", dev, ops::set_identity_pool_roles},
        {"UpdateIdentityPool", dev, ops::update_identity_pool},
    };
    return table;
}

const route& match_target(std::optional<std::string_view> target) {
    if (!target || target->empty())
        unknown("POST / needs an X-Amz-Target header naming an operation: AWSCognitoIdentityService.<Operation>");
    if (!target->starts_with(target_prefix))
        unknown("This endpoint serves AWSCognitoIdentityService, not '" + std::string(*target) + "'");
    const auto name = target->substr(target_prefix.size());
    for (const auto& r : route_table())
        if (name == r.operation) return r;
    unknown("Unknown operation: AWSCognitoIdentityService." + std::string(name));
}

bool is_identity_request(const request& req) { return req.path == "/" && req.method == "POST"; }

void identity_call::check_pool(const std::string& pool) const {
    if (!auth::may_see_pool(who, pool)) forbidden("Access to IdentityPool '" + pool + "' is forbidden.");
}

void identity_call::check_all_pools() const {
    if (who.kind == auth::caller::kind::developer && !who.grant->all_pools)
        forbidden("Only a developer key with access to every pool (pools = *) may create identity pools.");
}

step dispatch(const request& req, context& ctx) {
    // Without a target, POST / is no request of this service: 404 as any path without a route.
    const auto target = req.header("X-Amz-Target");
    if (target) req.speaks = service::identity;
    const auto& r = match_target(target);
    req.operation = metrics::route_series(r);
    auto who = authenticate(req, ctx, r);
    const auto input = parse_json_object(req.body);
    check_rate(ctx.identity_limits, r.operation, req, input, ctx.now_ms());
    return r.fn(identity_call{req, input, who}, ctx);
}

}  // namespace cogsync::api::identity
