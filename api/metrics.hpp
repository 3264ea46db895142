#pragma once
// The server's Prometheus metrics (README: Health and metrics): requests by operation and status,
// a latency histogram per operation, sync conflicts and session tokens issued, plus what the
// server (connections, sinks) and the store report when scraped.
//
// Counting is cheap on the request path: every series exists from the start (one per operation
// of the route table, and per status code 100-599), so counting is a relaxed atomic add with no
// lock, lookup or allocation. Labels carry operation names and status codes only, never pool or
// identity ids: their number stays fixed and a scrape reveals no user.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/request.hpp"
#include "storage/metric_sample.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api {

struct route;
namespace identity {
struct route;
}

class metrics {
public:
    // Upper bounds of the latency histogram's buckets, in seconds; then +Inf.
    static constexpr std::array<double, 14> duration_bounds{.0005, .001, .0025, .005, .01, .025, .05,
                                                            .1,    .25,  .5,    1,    2.5,  5,   10};
    // Series of requests that are not AWS operations; the route table's follow, then the Cognito
    // Identity route table's (api/identity/dispatch.hpp).
    enum : std::size_t { op_unknown, op_health, op_ready, op_metrics, op_preflight, op_stream_payload, op_well_known,
                          op_first_route };
    static std::size_t route_series(const route& r);
    static std::size_t route_series(const identity::route& r);

    metrics();
    ~metrics();
    metrics(const metrics&) = delete;
    metrics& operator=(const metrics&) = delete;

    // One answered request: `took` runs from its headers read to its answer written. An
    // UpdateRecords answered 409 is a sync conflict.
    void observe(std::size_t operation, unsigned status, std::chrono::nanoseconds took) noexcept;
    void session_token_issued() noexcept;
    // Cognito Identity: identities created (GetId, GetOpenIdTokenForDeveloperIdentity), credentials
    // minted (GetCredentialsForIdentity) and OpenID tokens issued. Unlabelled, like the counters
    // above: a pool label would grow with CreateIdentityPool, which any developer key may call.
    void identity_created() noexcept;
    void credentials_minted() noexcept;
    void open_id_token_issued() noexcept;
    // What the server knows (connections, sinks), asked at every scrape.
    void set_server_samples(std::function<std::vector<storage::metric_sample>()> fn);
    // The GET /metrics answer: text/plain; version=0.0.4.
    response scrape(const storage::record_store& store) const;

private:
    struct series;
    std::string render(const storage::record_store& store) const;

    std::vector<std::string> names_;
    std::unique_ptr<series[]> series_;
    std::size_t update_records_ = 0;
    std::atomic<uint64_t> conflicts_{0};
    std::atomic<uint64_t> tokens_{0};
    std::atomic<uint64_t> identities_{0};
    std::atomic<uint64_t> credentials_{0};
    std::atomic<uint64_t> open_id_tokens_{0};
    std::function<std::vector<storage::metric_sample>()> server_samples_;
};

}  // namespace cogsync::api
