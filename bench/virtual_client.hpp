#pragma once

// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include "bench/http_connection.hpp"
#include "bench/stats.hpp"
#include "bench/workload.hpp"

#include <boost/asio/awaitable.hpp>

#include <unordered_map>

namespace cogsync::bench {

// The measured part of a phase: ops are recorded only if they start at or after `measure_from`
// and finish by `deadline`; no new op starts after `deadline`.
struct phase_window {
    bench_clock::time_point measure_from;
    bench_clock::time_point deadline;

    bool contains(const http_result& r) const { return r.started >= measure_from && r.finished <= deadline; }
};

// One simulated device with its own keep-alive connection. All its work runs on one io_context
// thread and writes into that thread's phase_stats, so nothing here is shared or locked.
class virtual_client {
public:
    virtual_client(int index, int count, const workload& load, const bench_options& options,
                   http_connection connection, phase_stats& stats, phase_window window);

    // The synchronize loop of PROTOCOL.md 5.11, reduced to what load needs: ListRecords from the
    // last known count, then UpdateRecords with that token; on 409, list again and retry.
    boost::asio::awaitable<void> run_sync();

    // GET /health in a loop, the baseline the sync figures are divided by.
    boost::asio::awaitable<void> run_health();

private:
    // One cycle; returns the final status (200, 409 after --max-attempts, other = failure).
    boost::asio::awaitable<int> sync_once(const sync_target& target, dataset_state& state);
    dataset_state& state_for(const sync_target& target);
    void record(const char* op, const http_result& r, int outcome);
    boost::asio::awaitable<void> back_off();

    int index_;
    int count_;
    const workload& load_;
    const bench_options& options_;
    http_connection connection_;
    phase_stats& stats_;
    phase_window window_;
    rng_type rng_;
    std::unordered_map<std::uint64_t, dataset_state> states_;
};

}  // namespace cogsync::bench
