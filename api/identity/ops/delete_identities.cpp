// DeleteIdentities: 1..60 ids, each deleted with its logins, merges and minted credentials. An id
// that names no identity, or one of a pool the key may not act on, comes back in
// UnprocessedIdentityIds with ErrorCode AccessDenied (the model's ErrorCode has only AccessDenied
// and InternalServerError; AWS cannot tell an unknown id from another account's either).
#include <memory>

#include "api/api_error.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity::ops {
namespace {

std::vector<std::string> ids_member(const rapidjson::Value& in) {
    constexpr const char* name = "IdentityIdsToDelete";
    const auto* list = find_member(in, name);
    if (!list)
        throw api_error(error_code::invalid_parameter, std::string("1 validation error detected: Value null at '") + name +
                                                           "' failed to satisfy constraint: Member must not be null");
    if (!list->IsArray()) throw api_error(error_code::serialization, std::string("Member '") + name + "' must be a list");
    if (list->Empty()) invalid(name, "Member must have length greater than or equal to 1");
    if (list->Size() > 60) invalid(name, "Member must have length less than or equal to 60");
    std::vector<std::string> ids;
    for (const auto& v : list->GetArray()) {
        if (!v.IsString()) throw api_error(error_code::serialization, std::string("Member '") + name + "' must be a list of strings");
        ids.emplace_back(v.GetString(), v.GetStringLength());
        check_identity_id(ids.back(), name);
    }
    return ids;
}

}  // namespace

step delete_identities(const identity_call& c, context&) {
    auto ids = std::make_shared<const std::vector<std::string>>(ids_member(c.input));
    auto refused = std::make_shared<std::vector<std::string>>();
    auto job = [ids, refused, who = c.who](storage::write_view& v) {
        refused->clear();
        for (const auto& id : *ids) {
            auto found = v.find_identity(id);
            if (!found || !auth::may_see_pool(who, found->pool) || !v.delete_identity(id)) refused->push_back(id);
        }
        return true;
    };
    return write_step{job, [refused]() -> step {
                          rapidjson::StringBuffer buf;
                          json_writer w(buf);
                          w.StartObject();
                          w.Key("UnprocessedIdentityIds");
                          w.StartArray();
                          for (const auto& id : *refused) {
                              w.StartObject();
                              write_string_member(w, "IdentityId", id);
                              write_string_member(w, "ErrorCode", "AccessDenied");
                              w.EndObject();
                          }
                          w.EndArray();
                          w.EndObject();
                          return json11_response(buf);
                      }};
}

}  // namespace cogsync::api::identity::ops
