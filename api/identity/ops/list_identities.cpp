// ListIdentities: MaxResults 1..60 identities of a pool in id order, NextToken the last id of a
// page while more remain. HideDisabled is accepted; no identity is ever disabled here.
#include "api/identity/identity_description.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {
namespace {

struct page {
    bool pool_found = false;
    std::vector<storage::identity> identities;
    std::vector<std::vector<storage::identity_login>> logins;
};

}  // namespace

step list_identities(const identity_call& c, context& ctx) {
    const auto pool = pool_id_member(c.input);
    const auto limit = max_results_member(c.input);
    const auto after = next_token_member(c.input);
    bool_member(c.input, "HideDisabled");
    c.check_pool(pool);
    auto got = ctx.store.read([&](storage::read_view& v) {
        page p;
        p.pool_found = v.find_identity_pool(pool).has_value();
        if (!p.pool_found) return p;
        p.identities = v.identities_page(pool, after, limit + 1);
        for (const auto& i : p.identities) p.logins.push_back(v.logins_of_identity(pool, i.id));
        return p;
    });
    if (!got.pool_found) pool_not_found(pool);
    const bool more = got.identities.size() > limit;
    if (more) got.identities.resize(limit);
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_string_member(w, "IdentityPoolId", pool);
    w.Key("Identities");
    w.StartArray();
    for (std::size_t i = 0; i < got.identities.size(); ++i) write_identity_description(w, got.identities[i], got.logins[i]);
    w.EndArray();
    if (more) write_string_member(w, "NextToken", got.identities.back().id);
    w.EndObject();
    return json11_response(buf);
}

}  // namespace cogsync::api::identity::ops
