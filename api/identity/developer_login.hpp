#pragma once
// Inputs of the developer-provider operations (GetOpenIdTokenForDeveloperIdentity,
// LookupDeveloperIdentity, UnlinkDeveloperIdentity) checked against
// reference/cognito-identity/service-2.json, and the error for a provider the pool lacks.
#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/identity_model.hpp"

namespace cogsync::api::identity {

// Logins (LoginsMap): required, 1..10 entries, names 1..128, tokens 1..50000 characters.
std::vector<storage::identity_login> logins_member(const rapidjson::Value& in);
// PrincipalTags: at most 50, keys 1..128, values 1..256 characters.
void check_principal_tags(const rapidjson::Value& in);
// TokenDuration: 1..86400 seconds, developer_token_default_seconds when absent.
int64_t token_duration_member(const rapidjson::Value& in);
// A DeveloperUserIdentifier: 1..1024 characters; nullopt when absent.
std::optional<std::string> developer_user_member(const rapidjson::Value& in, const char* name);
// The same, required.
std::string required_developer_user(const rapidjson::Value& in, const char* name);

// NotAuthorizedException with AWS's wording, when the developer provider named is not the pool's
// DeveloperProviderName (or the pool has none).
[[noreturn]] void unsupported_developer_provider();

}  // namespace cogsync::api::identity
