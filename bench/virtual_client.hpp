#pragma once

// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include "bench/http_connection.hpp"
#include "bench/stats.hpp"
#include "bench/workload.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <optional>
#include <unordered_map>

namespace cogsync::bench {

// The measured part of a phase: ops are recorded only if they start at or after `measure_from`
// and finish by `deadline`; no new op starts after `deadline`. The update phase fetches session
// tokens until `prefetch_until`, before its warm-up. An open loop (`by_start`) records every
// request that was due before `deadline`, however late it ended: leaving out the ones a stall held
// past the deadline would hide that stall.
struct phase_window {
    bench_clock::time_point prefetch_until;
    bench_clock::time_point measure_from;
    bench_clock::time_point deadline;
    bool by_start = false;

    bool contains(const http_result& r) const {
        return r.started >= measure_from && (by_start ? r.started < deadline : r.finished <= deadline);
    }
};

// What one client knows about the datasets it synced (sync_target::id -> state). It outlives a
// phase, so the phases of one run continue from the counts the earlier ones saw.
using client_memory = std::unordered_map<std::uint64_t, dataset_state>;

// One simulated device with its own keep-alive connection. All its work runs on one io_context
// thread and writes into that thread's phase_stats, so nothing here is shared or locked.
class virtual_client {
public:
    virtual_client(int index, int count, const workload& load, const bench_options& options,
                   http_connection connection, phase_stats& stats, phase_window window,
                   client_memory& memory);

    // The synchronize loop of PROTOCOL.md 5.11, reduced to what load needs: ListRecords from the
    // last known count, then UpdateRecords with that token; on 409, list again and retry.
    boost::asio::awaitable<void> run_sync();

    // GET /health in a loop, the baseline the sync figures are divided by.
    boost::asio::awaitable<void> run_health();

    // ListRecords of the client's private datasets from the count it last saw: the answer is
    // empty unless someone else wrote, which is what a device polling for changes gets.
    boost::asio::awaitable<void> run_list();

    // UpdateRecords only. Until prefetch_until it lists its private datasets and keeps each
    // SyncSessionToken; then it spends one per update. A client that runs out lists again, and
    // those ListRecords are recorded in the phase.
    boost::asio::awaitable<void> run_update();

    // Writes every key of the private datasets numbered by `next` (shared by all clients) until
    // workload::populate_count() are done.
    boost::asio::awaitable<void> run_populate(std::atomic<int>& next);

    // Trigger phase: ListRecords then UpdateRecords of key "w<index>" of the trigger dataset, in a
    // loop; every update waits for the pool's Sync Trigger.
    boost::asio::awaitable<void> run_trigger_writer();

    // Trigger phase: GET /health and a delta ListRecords of a private dataset, alternately, at
    // --observer-rate. Open loop: each latency counts from when the request was due, so a stall
    // weighs as much as the requests it held up, however few of them a closed loop would send.
    boost::asio::awaitable<void> run_observer();

private:
    struct listed {
        int outcome = 0;  // the HTTP status, status_bad_body, or 0 without an answer
        std::optional<std::string> token;
    };

    // One ListRecords from state.last_sync_count_, folded into `state`. With `due`, its latency
    // counts from then.
    boost::asio::awaitable<listed> list_once(const sync_target& target, dataset_state& state,
                                             std::optional<bench_clock::time_point> due = std::nullopt);
    // One UpdateRecords with `body`, folded into `state`; returns the outcome as list_once does.
    boost::asio::awaitable<int> update_once(const sync_target& target, dataset_state& state, std::string body);
    // One cycle; returns the final status (200, 409 after --max-attempts, other = failure).
    boost::asio::awaitable<int> sync_once(const sync_target& target, dataset_state& state);
    dataset_state& state_for(const sync_target& target);
    void record(const char* op, const http_result& r, int outcome);
    boost::asio::awaitable<void> back_off();
    boost::asio::awaitable<void> sleep_until(bench_clock::time_point t);
    void count_reconnects();

    int index_;
    int count_;
    const workload& load_;
    const bench_options& options_;
    http_connection connection_;
    phase_stats& stats_;
    phase_window window_;
    rng_type rng_;
    client_memory& states_;
};

}  // namespace cogsync::bench
