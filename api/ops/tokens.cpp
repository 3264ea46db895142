#include "api/ops/tokens.hpp"

#include "api/api_error.hpp"

namespace cogsync::api::ops {

std::string dataset_binding(const char* purpose, const storage::dataset_id& id) {
    std::string b(purpose);
    for (const auto* part : {&id.pool, &id.identity, &id.name}) {
        b.push_back('\0');
        b += *part;
    }
    return b;
}

std::string issue_session_token(context& ctx, const storage::dataset_id& id) {
    auto token = ctx.tokens.issue_session(dataset_binding("session", id), ctx.now_ms() + ctx.session_ttl_ms, nullptr);
    ctx.store.count_session(id.pool);
    if (ctx.counters) ctx.counters->session_token_issued();
    return token;
}

session_ticket open_session_token(context& ctx, const storage::dataset_id& id, const std::string& token) {
    auto ticket = ctx.tokens.open_session(token, dataset_binding("session", id));
    if (!ticket) throw api_error(error_code::invalid_parameter, "SyncSessionToken not valid for these inputs");
    if (ticket->expires_ms <= ctx.now_ms()) throw api_error(error_code::invalid_parameter, "SyncSessionToken has expired");
    return *ticket;
}

}  // namespace cogsync::api::ops
