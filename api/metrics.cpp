#include "api/metrics.hpp"

#include <algorithm>

#include "api/prometheus_text.hpp"
#include "api/identity/dispatch.hpp"
#include "api/router.hpp"

namespace cogsync::api {

namespace {

constexpr unsigned first_status = 100;
constexpr unsigned status_count = 500;  // 100-599
constexpr auto relaxed = std::memory_order_relaxed;

}  // namespace

struct metrics::series {
    std::array<std::atomic<uint64_t>, status_count> by_status{};
    std::array<std::atomic<uint64_t>, duration_bounds.size() + 1> by_duration{};  // not cumulative
    std::atomic<uint64_t> nanoseconds{0};
};

std::size_t metrics::route_series(const route& r) {
    return op_first_route + static_cast<std::size_t>(&r - route_table().data());
}

std::size_t metrics::route_series(const identity::route& r) {
    return op_first_route + route_table().size() + static_cast<std::size_t>(&r - identity::route_table().data());
}

metrics::metrics() : names_{"Unknown", "Health", "Ready", "Metrics", "Preflight", "StreamPayload", "WellKnown"} {
    for (const auto& r : route_table()) {
        if (std::string_view(r.operation) == "UpdateRecords") update_records_ = names_.size();
        names_.emplace_back(r.operation);
    }
    for (const auto& r : identity::route_table()) names_.emplace_back(r.operation);
    series_ = std::make_unique<series[]>(names_.size());
}

metrics::~metrics() = default;

void metrics::observe(std::size_t operation, unsigned status, std::chrono::nanoseconds took) noexcept {
    if (operation >= names_.size()) operation = op_unknown;
    auto& s = series_[operation];
    if (status >= first_status && status < first_status + status_count)
        s.by_status[status - first_status].fetch_add(1, relaxed);
    const double seconds = std::chrono::duration<double>(took).count();
    const auto bucket = std::lower_bound(duration_bounds.begin(), duration_bounds.end(), seconds) - duration_bounds.begin();
    s.by_duration[static_cast<std::size_t>(bucket)].fetch_add(1, relaxed);
    s.nanoseconds.fetch_add(static_cast<uint64_t>(std::max<int64_t>(0, took.count())), relaxed);
    if (operation == update_records_ && status == 409) conflicts_.fetch_add(1, relaxed);
}

void metrics::session_token_issued() noexcept { tokens_.fetch_add(1, relaxed); }
void metrics::identity_created() noexcept { identities_.fetch_add(1, relaxed); }
void metrics::credentials_minted() noexcept { credentials_.fetch_add(1, relaxed); }
void metrics::open_id_token_issued() noexcept { open_id_tokens_.fetch_add(1, relaxed); }

void metrics::set_server_samples(std::function<std::vector<storage::metric_sample>()> fn) {
    server_samples_ = std::move(fn);
}

response metrics::scrape(const storage::record_store& store) const {
    return response{200, {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}}, render(store)};
}

std::string metrics::render(const storage::record_store& store) const {
    prometheus_text out;
    out.family("cogsync_requests_total", "counter", "Requests answered, by operation and HTTP status.");
    for (std::size_t op = 0; op < names_.size(); ++op)
        for (unsigned i = 0; i < status_count; ++i)
            if (auto n = series_[op].by_status[i].load(relaxed))
                out.sample("cogsync_requests_total", {{"operation", names_[op]}, {"status", std::to_string(first_status + i)}},
                           static_cast<double>(n));
    out.family("cogsync_request_duration_seconds", "histogram",
               "Time from a request's headers read to its answer written, by operation.");
    for (std::size_t op = 0; op < names_.size(); ++op) {
        const auto& s = series_[op];
        uint64_t cumulative = 0;
        for (std::size_t b = 0; b < s.by_duration.size(); ++b) {
            cumulative += s.by_duration[b].load(relaxed);
            auto le = b < duration_bounds.size() ? format_metric_value(duration_bounds[b]) : "+Inf";
            out.sample("cogsync_request_duration_seconds_bucket", {{"operation", names_[op]}, {"le", le}},
                       static_cast<double>(cumulative));
        }
        out.sample("cogsync_request_duration_seconds_sum", {{"operation", names_[op]}},
                   static_cast<double>(s.nanoseconds.load(relaxed)) / 1e9);
        out.sample("cogsync_request_duration_seconds_count", {{"operation", names_[op]}}, static_cast<double>(cumulative));
    }
    out.family("cogsync_sync_conflicts_total", "counter", "UpdateRecords answered 409 (a stale sync count).");
    out.sample("cogsync_sync_conflicts_total", {}, static_cast<double>(conflicts_.load(relaxed)));
    const struct {
        const char* name;
        const char* help;
        const std::atomic<uint64_t>& value;
    } counters[] = {
        {"cogsync_sync_session_tokens_issued_total", "SyncSessionTokens issued by ListRecords.", tokens_},
        {"cogsync_identities_created_total", "Cognito identities created (GetId, GetOpenIdTokenForDeveloperIdentity).",
         identities_},
        {"cogsync_credentials_minted_total", "Temporary credentials minted by GetCredentialsForIdentity.", credentials_},
        {"cogsync_identity_tokens_issued_total", "OpenID tokens issued by Cognito Identity.", open_id_tokens_},
    };
    for (const auto& c : counters) {
        out.family(c.name, "counter", c.help);
        out.sample(c.name, {}, static_cast<double>(c.value.load(relaxed)));
    }
    if (server_samples_) out.add(server_samples_());
    out.add(store.engine_metrics());
    return out.text();
}

}  // namespace cogsync::api
