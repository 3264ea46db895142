// LookupDeveloperIdentity: by DeveloperUserIdentifier (the identity it is linked to), by
// IdentityId (the developer users linked to it, MaxResults 1..60 at a time, NextToken the last
// one returned), or both: they must name each other, else ResourceConflictException (the model's
// documentation). Neither: InvalidParameterException.
#include "api/api_error.hpp"
#include "api/identity/developer_login.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {
namespace {

struct lookup {
    std::optional<std::string> identity_id;
    std::vector<std::string> users;
    bool more = false;
};

lookup run(storage::read_view& v, const storage::identity_pool& p, std::optional<std::string> id,
           const std::optional<std::string>& user, const std::string& after, std::size_t limit) {
    const auto& provider = p.developer_provider_name;
    if (user) {
        auto linked = provider.empty() ? std::nullopt : v.find_login(p.id, provider, *user);
        if (!linked) throw api_error(error_code::resource_not_found, "Developer user identifier not found.");
        if (id && *id != *linked)
            throw api_error(error_code::resource_conflict, "Developer user identifier is linked to another identity.");
        id = linked;
    }
    auto i = v.find_identity(*id);
    if (!i || i->pool != p.id) throw api_error(error_code::resource_not_found, "Identity '" + *id + "' not found.");
    lookup out{id, {}, false};
    for (const auto& l : v.logins_of_identity(p.id, *id)) {
        if (l.provider != provider || (!after.empty() && l.subject <= after)) continue;
        if (out.users.size() == limit) {
            out.more = true;
            break;
        }
        out.users.push_back(l.subject);
    }
    return out;
}

}  // namespace

step lookup_developer_identity(const identity_call& c, context& ctx) {
    const auto pool = pool_id_member(c.input);
    std::optional<std::string> id;
    if (find_member(c.input, "IdentityId")) id = identity_id_member(c.input);
    const auto user = developer_user_member(c.input, "DeveloperUserIdentifier");
    const std::size_t limit = find_member(c.input, "MaxResults") ? max_results_member(c.input) : 60;
    const auto after = next_token_member(c.input);
    if (!id && !user)
        throw api_error(error_code::invalid_parameter, "Either IdentityId or DeveloperUserIdentifier must be given.");
    c.check_pool(pool);
    auto found = ctx.store.read([&](storage::read_view& v) {
        auto p = v.find_identity_pool(pool);
        if (!p) pool_not_found(pool);
        return run(v, *p, id, user, after, limit);
    });
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_string_member(w, "IdentityId", *found.identity_id);
    w.Key("DeveloperUserIdentifierList");
    w.StartArray();
    for (const auto& u : found.users) write_string(w, u);
    w.EndArray();
    if (found.more) write_string_member(w, "NextToken", found.users.back());
    w.EndObject();
    return json11_response(buf);
}

}  // namespace cogsync::api::identity::ops
