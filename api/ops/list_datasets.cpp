// ListDatasets (PROTOCOL.md 3.2, 5.9): the identity's live datasets by name; NextToken only
// while more remain.
#include "api/api_error.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/ops/tokens.hpp"

namespace cogsync::api::ops {

step list_datasets(const call& c, context& ctx) {
    check_identity_path(c);
    storage::dataset_id owner{c.param("IdentityPoolId"), c.param("IdentityId"), ""};
    auto limit = page_size(c);
    std::string after;
    if (auto next = c.query_value("nextToken")) {
        auto name = ctx.tokens.unseal(*next, dataset_binding("datasets", owner));
        if (!name) throw api_error(error_code::invalid_parameter, "Invalid NextToken");
        after = std::move(*name);
    }
    auto page = ctx.store.read([&](storage::read_view& v) {
        return v.datasets_page(owner.pool, owner.identity, after, limit ? *limit + 1 : SIZE_MAX);
    });
    std::string next_token;
    if (limit && page.size() > *limit) {
        page.resize(*limit);
        next_token = ctx.tokens.seal(page.back().id.name, dataset_binding("datasets", owner));
    }
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("Datasets");
    w.StartArray();
    for (const auto& d : page) write_dataset(w, d);
    w.EndArray();
    write_page_end(w, page.size(), next_token);
    w.EndObject();
    return json_response(buf);
}

}  // namespace cogsync::api::ops
