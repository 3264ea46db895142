#pragma once
// Reading and writing the Cognito Identity shapes (reference/cognito-identity/service-2.json):
// each check throws InvalidParameterException naming the member, a member of the wrong JSON type
// is SerializationException, as on the sync side (api/json_codec.hpp).
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "api/json_codec.hpp"
#include "api/request.hpp"

namespace cogsync::api::identity {

// Answers carry the JSON 1.1 content type the SDKs send.
response json11_response(const rapidjson::StringBuffer& body);
// `{"IdentityId": id}` (GetId, MergeDeveloperIdentities), and `{}` (operations that answer nothing).
response identity_id_response(const std::string& identity_id);
response empty_response();

std::optional<bool> bool_member(const rapidjson::Value& in, const char* name);
std::string required_string(const rapidjson::Value& in, const char* name);
bool required_bool(const rapidjson::Value& in, const char* name);

// min..max code points, every byte either a \w character or one of `extra` (the model's patterns
// are all such classes); pattern is the model's text, quoted in the error.
void check_class(std::string_view value, std::string_view member, std::size_t min, std::size_t max,
                 std::string_view extra, std::string_view pattern);

// IdentityPoolId / IdentityId members: present and matching [\w-]+:[0-9a-f-]+, at most 55.
std::string pool_id_member(const rapidjson::Value& in);
std::string identity_id_member(const rapidjson::Value& in, const char* name = "IdentityId");
// MaxResults (QueryLimit): required, 1..60.
std::size_t max_results_member(const rapidjson::Value& in);
// NextToken (PaginationKey): 1..65535 non-space characters, "" when absent.
std::string next_token_member(const rapidjson::Value& in);

// "<region>:<uuid v4>", the form of identity pool and identity ids.
std::string new_namespaced_id(std::string_view region);
// The region part of a namespaced id.
std::string_view region_of(std::string_view id);

}  // namespace cogsync::api::identity
