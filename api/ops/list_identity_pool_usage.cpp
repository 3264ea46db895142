// ListIdentityPoolUsage (PROTOCOL.md 3.2): pools with data or issued sessions, by id. Count is
// the items of this page and MaxResults echoes the page size used (PROTOCOL.md 9.10).
#include "api/api_error.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"

namespace cogsync::api::ops {
namespace {
constexpr std::size_t default_page = 60;  // without maxResults; AWS documents no default
}

step list_identity_pool_usage(const call& c, context& ctx) {
    std::size_t limit = page_size(c).value_or(default_page);
    std::string after;
    if (auto next = c.query_value("nextToken")) {
        auto pool = ctx.tokens.unseal(*next, "pools");
        if (!pool) throw api_error(error_code::invalid_parameter, "Invalid NextToken");
        after = std::move(*pool);
    }
    // A developer key limited to some pools sees only those; scan on until the page is full.
    std::vector<storage::pool_usage> page;
    ctx.store.read([&](storage::read_view& v) {
        for (std::string from = after; page.size() <= limit;) {
            auto batch = v.pools_page(from, limit + 1);
            bool more = batch.size() > limit;
            if (!batch.empty()) from = batch.back().pool;
            for (auto& u : batch)
                if (auth::may_see_pool(c.who, u.pool)) page.push_back(std::move(u));
            if (!more) break;
        }
        return true;
    });
    if (page.size() > limit + 1) page.resize(limit + 1);
    std::string next_token;
    if (page.size() > limit) {
        page.resize(limit);
        next_token = ctx.tokens.seal(page.back().pool, "pools");
    }
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("IdentityPoolUsages");
    w.StartArray();
    for (const auto& u : page) write_pool_usage(w, u);
    w.EndArray();
    w.Key("MaxResults");
    w.Int64(static_cast<int64_t>(std::min<std::size_t>(limit, INT32_MAX)));
    write_page_end(w, page.size(), next_token);
    w.EndObject();
    return json_response(buf);
}

}  // namespace cogsync::api::ops
