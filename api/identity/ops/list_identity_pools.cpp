// ListIdentityPools: MaxResults 1..60 pools in id order, NextToken the last id of a page while
// more remain. A developer key limited to some pools sees only those.
#include "api/identity/ops/operations.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {

step list_identity_pools(const identity_call& c, context& ctx) {
    const auto limit = max_results_member(c.input);
    auto after = next_token_member(c.input);
    std::vector<storage::identity_pool> page;
    bool more = false;
    ctx.store.read([&](storage::read_view& v) {
        while (!more) {
            auto batch = v.identity_pools_page(after, 100);
            if (!batch.empty()) after = batch.back().id;
            for (auto& p : batch) {
                if (!auth::may_see_pool(c.who, p.id)) continue;
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.push_back(std::move(p));
            }
            if (batch.size() < 100) break;
        }
        return 0;
    });
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("IdentityPools");
    w.StartArray();
    for (const auto& p : page) {
        w.StartObject();
        write_string_member(w, "IdentityPoolId", p.id);
        write_string_member(w, "IdentityPoolName", p.name);
        w.EndObject();
    }
    w.EndArray();
    if (more) write_string_member(w, "NextToken", page.back().id);
    w.EndObject();
    return json11_response(buf);
}

}  // namespace cogsync::api::identity::ops
