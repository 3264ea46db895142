#pragma once
// The Cognito Identity operations, one file each (api/identity/dispatch.hpp).
#include "api/context.hpp"
#include "api/identity/identity_call.hpp"
#include "api/step.hpp"

namespace cogsync::api::identity::ops {

step create_identity_pool(const identity_call& c, context& ctx);
step delete_identities(const identity_call& c, context& ctx);
step delete_identity_pool(const identity_call& c, context& ctx);
step describe_identity(const identity_call& c, context& ctx);
step describe_identity_pool(const identity_call& c, context& ctx);
step get_credentials_for_identity(const identity_call& c, context& ctx);
step get_id(const identity_call& c, context& ctx);
step get_identity_pool_roles(const identity_call& c, context& ctx);
step get_open_id_token(const identity_call& c, context& ctx);
step get_open_id_token_for_developer_identity(const identity_call& c, context& ctx);
step list_identities(const identity_call& c, context& ctx);
step list_identity_pools(const identity_call& c, context& ctx);
step unlink_identity(const identity_call& c, context& ctx);
step lookup_developer_identity(const identity_call& c, context& ctx);
step merge_developer_identities(const identity_call& c, context& ctx);
step unlink_developer_identity(const identity_call& c, context& ctx);
step set_identity_pool_roles(const identity_call& c, context& ctx);
step update_identity_pool(const identity_call& c, context& ctx);

}  // namespace cogsync::api::identity::ops
