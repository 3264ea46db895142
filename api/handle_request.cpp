#include "api/handle_request.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "api/api_error.hpp"
#include "api/identity/dispatch.hpp"
#include "api/identity/well_known.hpp"
#include "api/router.hpp"
#include "api/json_codec.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api {
namespace {

// PROTOCOL.md 1.3: without these exposed, browser SDKs cannot read error codes at all.
void add_common_headers(response& r, const request& req) {
    r.headers.emplace_back("x-amzn-RequestId", req.request_id);
    const bool typed = std::any_of(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "Content-Type"; });
    if (!typed)
        r.headers.emplace_back("Content-Type",
                               req.speaks == service::identity ? "application/x-amz-json-1.1" : "application/json");
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
    r.headers.emplace_back("Access-Control-Expose-Headers", "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date");
}

response preflight() {
    response r;
    r.body = "{}";
    r.headers.emplace_back("Access-Control-Allow-Methods", "GET,POST,DELETE,OPTIONS");
    r.headers.emplace_back("Access-Control-Allow-Headers",
                           "authorization,content-type,x-amz-date,x-amz-security-token,x-amz-user-agent,"
                           "x-amz-content-sha256,x-amz-client-context,x-amz-target,amz-sdk-invocation-id,"
                           "amz-sdk-request");
    r.headers.emplace_back("Access-Control-Max-Age", "86400");
    return r;
}

response answer_as(const request& req, std::size_t series, response r) {
    req.operation = series;
    return r;
}

// /health, /ready, /metrics and the token issuer's /.well-known documents answer before
// authentication, unthrottled (README: Health and metrics). Authenticate before routing, so an unsigned caller learns nothing about paths (only dot
// segments are refused first: they would make the signed path differ from the routed one); then
// route, authorize against the path's ids, and rate-limit.
step dispatch(const request& req, context& ctx) {
    if (req.method == "OPTIONS") return answer_as(req, metrics::op_preflight, preflight());
    if (req.method == "GET" && req.path == "/health")
        return answer_as(req, metrics::op_health, response{200, {}, R"({"status":"ok"})"});
    if (req.method == "GET" && req.path == "/ready") return answer_as(req, metrics::op_ready, ready_response(ctx.ready));
    if (req.method == "GET" && req.path == "/metrics" && ctx.counters)
        return answer_as(req, metrics::op_metrics, ctx.counters->scrape(ctx.store));
    if (auto doc = identity::well_known_document(req, ctx)) return answer_as(req, metrics::op_well_known, std::move(*doc));
    // Cognito Identity (api/identity/dispatch.hpp): its own targets, signing name and access kinds.
    if (identity::is_identity_request(req)) return identity::dispatch(req, ctx);
    refuse_dot_segments(req.path);
    // Signed by this server: the signature is the authorization (api/stream_payloads.hpp).
    if (req.method == "GET" && ctx.payloads && stream_payloads::is_payload_path(req.path)) {
        req.operation = metrics::op_stream_payload;
        return ctx.payloads->serve(req, ctx.now_ms());
    }
    const auto method = effective_method(req);
    auth::caller who;
    if (ctx.auth) who = ctx.auth->authenticate(req, ctx.now_ms());
    auto match = match_route(method, req.path);
    req.operation = metrics::route_series(*match.target);
    auto query = parse_query(req.query);
    if (!query) throw api_error(error_code::invalid_parameter, "Malformed percent-encoding in the query string");
    call c{req, std::move(match.params), std::move(*query), "", who};
    if (ctx.auth && match.target->access == auth::access::developer_only)
        ctx.auth->require_developer_key(match.target->operation);
    auth::authorize(who, match.target->access, c.params, match.target->operation);
    const std::string_view key_id = c.who.grant ? std::string_view(c.who.grant->access_key) : "";
    if (ctx.limiter && !ctx.limiter->allow(rate_key(c.params, key_id), ctx.now_ms()))
        throw api_error(error_code::too_many_requests, "Rate exceeded");
    c.principal = auth::principal_name(who, c.params);
    return match.target->fn(c, ctx);
}

response error_response(unsigned status, const char* type, const std::string& message) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("__type");
    w.String(type);
    write_string_member(w, "message", message);
    w.EndObject();
    response r;
    r.status = status;
    r.body.assign(buf.GetString(), buf.GetSize());
    r.headers.emplace_back("x-amzn-ErrorType", type);
    return r;
}

}  // namespace

response reject_request(const request& req, const api_error& e) {
    auto r = error_response(e.status(req.speaks), e.type_name(), e.what());
    add_common_headers(r, req);
    return r;
}

namespace {

// Runs one stage of a request; every failure becomes the answer, and the answer gets the headers
// every response carries. Its log lines name the request through the log scope the server opens
// around each step (server/log_scope.hpp).
template <class Fn>
step guarded(const request& req, Fn&& fn) {
    try {
        step s = fn();
        if (auto* r = std::get_if<response>(&s.next)) add_common_headers(*r, req);
        return s;
    } catch (const api_error& e) {
        spdlog::debug("{} {} -> {} {}", req.method, req.path, e.type_name(), e.what());
        return reject_request(req, e);
    } catch (const std::exception& e) {
        spdlog::error("{} {} failed: {}", req.method, req.path, e.what());
    } catch (...) {
        spdlog::error("{} {} failed", req.method, req.path);
    }
    auto r = error_response(500, "InternalErrorException", "Internal error");
    add_common_headers(r, req);
    return r;
}

}  // namespace

step handle_request(const request& req, context& ctx) {
    return guarded(req, [&] { return dispatch(req, ctx); });
}

step resume_request(const request& req, const continuation& next, std::exception_ptr error) {
    return guarded(req, [&]() -> step {
        if (error) std::rethrow_exception(error);
        return next();
    });
}

}  // namespace cogsync::api
