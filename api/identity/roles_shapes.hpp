#pragma once
// SetIdentityPoolRoles' Roles and RoleMappings checked against the model
// (reference/cognito-identity/service-2.json: RolesMap, RoleMappingMap, RoleMapping,
// RulesConfigurationType, MappingRule) and kept as one JSON text, storage::identity_pool::roles.
// cogsync assumes no roles (there is no STS): they are stored for clients and migrations that
// read them back, and minted credentials grant the identity's own sync data whatever they say.
#include <rapidjson/document.h>

#include <string>

#include "api/json_codec.hpp"

namespace cogsync::api::identity {

// {"Roles":{...},"RoleMappings":{...}} from the input, or the first mistake:
// InvalidParameterException naming the member, SerializationException for a wrong JSON type.
// Roles: required, at most 2, keys "authenticated" | "unauthenticated", ARNs of 20..2048
// characters. RoleMappings: at most 10 providers (names 1..128), each with Type Token | Rules and
// AmbiguousRoleResolution AuthenticatedRole | Deny (the model's documentation requires it for
// both types); Rules needs RulesConfiguration with 1..25 rules (the documented limit per
// provider): Claim 1..64 without spaces or controls, MatchType Equals | Contains | StartsWith |
// NotEqual, Value 1..128, RoleARN 20..2048.
std::string roles_from_input(const rapidjson::Value& in);

// Writes the members of stored roles text ("" = never set: Roles {}) into an open object.
void write_roles_members(json_writer& w, const std::string& roles);

}  // namespace cogsync::api::identity
