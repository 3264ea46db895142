#include "bench/virtual_client.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <string_view>

namespace cogsync::bench {
namespace asio = boost::asio;
namespace http = boost::beast::http;

virtual_client::virtual_client(int index, int count, const workload& load,
                               const bench_options& options, http_connection connection,
                               phase_stats& stats, phase_window window, client_memory& memory)
    : index_(index),
      count_(count),
      load_(load),
      options_(options),
      connection_(std::move(connection)),
      stats_(stats),
      window_(window),
      rng_(options.seed * 0x9E3779B97F4A7C15ULL + std::uint64_t(index)),
      states_(memory) {}

void virtual_client::record(const char* op, const http_result& r, int outcome) {
    if (!window_.contains(r)) {
        return;
    }
    op_stats& s = stats_.op(op);
    s.latency_.record(r.micros());
    // Per-second counts are of the requests the phase measures: not whole cycles, nor the trigger
    // writers, whose window starts earlier.
    const std::string_view name(op);
    if (name != op_sync_cycle && name != op_trigger_list && name != op_trigger_update) {
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
        it = states_.emplace(target.id(), load_.new_state(target)).first;
    }
    return it->second;
}

asio::awaitable<void> virtual_client::sleep_until(bench_clock::time_point t) {
    asio::steady_timer timer(co_await asio::this_coro::executor, t);
    co_await timer.async_wait(asio::use_awaitable);
}

// Keeps a dead or refusing server from turning the loop into a busy spin.
asio::awaitable<void> virtual_client::back_off() {
    co_await sleep_until(bench_clock::now() + std::chrono::milliseconds(20));
}

void virtual_client::count_reconnects() {
    stats_.reconnects_ += connection_.connects() > 0 ? connection_.connects() - 1 : 0;
}

asio::awaitable<virtual_client::listed> virtual_client::list_once(const sync_target& target, dataset_state& state,
                                                                 std::optional<bench_clock::time_point> due) {
    http_result r = co_await connection_.send(http::verb::get, load_.list_target(target, state.last_sync_count_), {});
    r.started = due.value_or(r.started);
    listed out{r.status, std::nullopt};
    if (out.outcome == 200 && !(out.token = load_.apply_list_response(r.body, state))) {
        out.outcome = status_bad_body;
    }
    record(op_list_records, r, out.outcome);
    if (out.outcome != 200) {
        // A 400 here means our count is ahead of the server's ("No such SyncCount",
        // PROTOCOL.md 5.2 fact 5): start this dataset over from 0.
        state.reset();
    }
    co_return out;
}

asio::awaitable<int> virtual_client::update_once(const sync_target& target, dataset_state& state,
                                                 std::string body) {
    http_result r = co_await connection_.send(http::verb::post, load_.update_target(target), std::move(body));
    int outcome = r.status;
    if (outcome == 200 && !load_.apply_update_response(r.body, state)) {
        outcome = status_bad_body;
    }
    record(op_update_records, r, outcome);
    co_return outcome;
}

asio::awaitable<int> virtual_client::sync_once(const sync_target& target, dataset_state& state) {
    for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
        const listed l = co_await list_once(target, state);
        if (l.outcome != 200) {
            co_return l.outcome;
        }
        const int outcome = co_await update_once(target, state, load_.make_update_body(rng_, state, *l.token));
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
    count_reconnects();
}

asio::awaitable<void> virtual_client::run_health() {
    while (bench_clock::now() < window_.deadline) {
        http_result r = co_await connection_.send(http::verb::get, "/health", {});
        record(op_health, r, r.status);
        if (r.status <= 0) {
            co_await back_off();
        }
    }
    count_reconnects();
}

asio::awaitable<void> virtual_client::run_list() {
    while (bench_clock::now() < window_.deadline) {
        const sync_target target = load_.pick(rng_, index_, count_);
        if ((co_await list_once(target, state_for(target))).outcome <= 0) {
            co_await back_off();
        }
    }
    count_reconnects();
}

asio::awaitable<void> virtual_client::run_update() {
    // Private datasets only: nobody else writes them, so the counts a token was fetched with are
    // still the current ones when it is spent.
    std::deque<std::pair<sync_target, std::string>> tokens;
    auto fetch = [&]() -> asio::awaitable<void> {
        const sync_target target = load_.pick_private(rng_, index_, count_);
        listed l = co_await list_once(target, state_for(target));
        if (l.token) {
            tokens.emplace_back(target, std::move(*l.token));
        } else if (l.outcome <= 0) {
            co_await back_off();
        }
    };
    while (bench_clock::now() < window_.prefetch_until) {
        co_await fetch();
    }
    while (bench_clock::now() < window_.deadline) {
        if (tokens.empty()) {
            co_await fetch();
            continue;
        }
        auto [target, token] = std::move(tokens.front());
        tokens.pop_front();
        dataset_state& state = state_for(target);
        if (co_await update_once(target, state, load_.make_update_body(rng_, state, token)) <= 0) {
            co_await back_off();
        }
    }
    count_reconnects();
}

asio::awaitable<void> virtual_client::run_populate(std::atomic<int>& next) {
    for (int n = next++; n < load_.populate_count(); n = next++) {
        const sync_target target = load_.populate_target(n);
        dataset_state& state = state_for(target);
        const listed l = co_await list_once(target, state);
        int outcome = l.outcome;
        if (l.token) {
            outcome = co_await update_once(target, state, load_.make_populate_body(rng_, state, *l.token));
        }
        if (outcome <= 0) {
            co_await back_off();
        }
    }
    count_reconnects();
}

asio::awaitable<void> virtual_client::run_trigger_writer() {
    const std::string key = "w" + std::to_string(index_);
    std::int64_t key_count = 0;
    while (bench_clock::now() < window_.deadline) {
        http_result r = co_await connection_.send(http::verb::get, load_.trigger_list_target(), {});
        auto page = r.status == 200 ? parse_list_response(r.body) : std::nullopt;
        record(op_trigger_list, r, r.status == 200 && !page ? status_bad_body : r.status);
        if (!page) {
            co_await back_off();
            continue;
        }
        for (const auto& [name, count] : page->records) {
            if (name == key) {
                key_count = count;
            }
        }
        r = co_await connection_.send(http::verb::post, load_.trigger_update_target(),
                                      load_.make_key_body(rng_, key, key_count, page->token));
        auto written = r.status == 200 ? parse_update_response(r.body) : std::nullopt;
        record(op_trigger_update, r, r.status == 200 && !written ? status_bad_body : r.status);
        if (r.status <= 0) {
            co_await back_off();
        }
    }
    count_reconnects();
}

asio::awaitable<void> virtual_client::run_observer() {
    const auto interval = std::chrono::duration_cast<bench_clock::duration>(
        std::chrono::duration<double>(1.0 / options_.observer_rate));
    // Staggered, so the connections do not all send at the same instant.
    auto due = bench_clock::now() + interval * index_ / count_;
    for (bool health = true; due < window_.deadline; health = !health, due += interval) {
        if (bench_clock::now() < due) {
            co_await sleep_until(due);
        }
        int outcome = 0;
        if (health) {
            http_result r = co_await connection_.send(http::verb::get, "/health", {});
            r.started = due;
            record(op_health, r, outcome = r.status);
        } else {
            const sync_target target = load_.pick_private(rng_, index_, count_);
            outcome = (co_await list_once(target, state_for(target), due)).outcome;
        }
        if (outcome <= 0) {
            co_await back_off();
        }
    }
    count_reconnects();
}

}  // namespace cogsync::bench
