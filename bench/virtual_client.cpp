#include "bench/virtual_client.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <string_view>

namespace cogsync::bench {
namespace asio = boost::asio;
namespace http = boost::beast::http;

virtual_client::virtual_client(int index, int count, const workload& load,
                               const bench_options& options, http_connection connection,
                               phase_stats& stats, phase_window window)
    : index_(index),
      count_(count),
      load_(load),
      options_(options),
      connection_(std::move(connection)),
      stats_(stats),
      window_(window),
      rng_(options.seed * 0x9E3779B97F4A7C15ULL + std::uint64_t(index)) {}

void virtual_client::record(const char* op, const http_result& r, int outcome) {
    if (!window_.contains(r)) {
        return;
    }
    op_stats& s = stats_.op(op);
    s.latency_.record(r.micros());
    if (std::string_view(op) != op_sync_cycle) {
        const auto second = std::chrono::duration_cast<std::chrono::seconds>(r.finished - window_.measure_from);
        stats_.record_second(std::size_t(second.count()), r.micros());
    }
    if (outcome >= 200 && outcome < 300) {
        ++s.ok_;
    } else if (outcome == 409) {
        ++s.conflicts_;
    } else {
        ++s.errors_by_status_[outcome];
    }
}

dataset_state& virtual_client::state_for(const sync_target& target) {
    auto it = states_.find(target.id());
    if (it == states_.end()) {
        it = states_.emplace(target.id(), load_.new_state()).first;
    }
    return it->second;
}

// Keeps a dead or refusing server from turning the loop into a busy spin.
asio::awaitable<void> virtual_client::back_off() {
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<int> virtual_client::sync_once(const sync_target& target, dataset_state& state) {
    for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
        http_result listed = co_await connection_.send(
            http::verb::get, load_.list_target(target, state.last_sync_count_), {});
        std::optional<std::string> token;
        int outcome = listed.status;
        if (outcome == 200 && !(token = load_.apply_list_response(listed.body, state))) {
            outcome = status_bad_body;
        }
        record(op_list_records, listed, outcome);
        if (outcome != 200) {
            // A 400 here means our count is ahead of the server's ("No such SyncCount",
            // PROTOCOL.md 5.2 fact 5): start this dataset over from 0.
            state.reset();
            co_return outcome;
        }

        http_result updated = co_await connection_.send(
            http::verb::post, load_.update_target(target), load_.make_update_body(rng_, state, *token));
        outcome = updated.status;
        if (outcome == 200 && !load_.apply_update_response(updated.body, state)) {
            outcome = status_bad_body;
        }
        record(op_update_records, updated, outcome);
        if (outcome != 409) {
            co_return outcome;
        }
    }
    co_return 409;
}

asio::awaitable<void> virtual_client::run_sync() {
    while (bench_clock::now() < window_.deadline) {
        const sync_target target = load_.pick(rng_, index_, count_);
        http_result cycle;
        cycle.started = bench_clock::now();
        const int outcome = co_await sync_once(target, state_for(target));
        cycle.finished = bench_clock::now();
        record(op_sync_cycle, cycle, outcome);
        if (outcome <= 0) {
            co_await back_off();
        }
    }
    stats_.reconnects_ += connection_.connects() > 0 ? connection_.connects() - 1 : 0;
}

asio::awaitable<void> virtual_client::run_health() {
    while (bench_clock::now() < window_.deadline) {
        http_result r = co_await connection_.send(http::verb::get, "/health", {});
        record(op_health, r, r.status);
        if (r.status <= 0) {
            co_await back_off();
        }
    }
    stats_.reconnects_ += connection_.connects() > 0 ? connection_.connects() - 1 : 0;
}

}  // namespace cogsync::bench
