#include "bench/runner.hpp"

#include "bench/workload.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace cogsync::bench {
namespace asio = boost::asio;

namespace {

std::chrono::nanoseconds seconds(double s) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s));
}

phase_window window_for(const bench_options& options, phase_kind kind) {
    phase_window w;
    const auto start = bench_clock::now();
    w.prefetch_until = kind == phase_kind::update ? start + seconds(options.prefetch_s) : start;
    if (kind == phase_kind::populate) {
        w.measure_from = start;
        w.deadline = bench_clock::time_point::max();
    } else {
        w.measure_from = w.prefetch_until + seconds(options.warmup_s);
        w.deadline = w.measure_from + seconds(options.duration_s);
    }
    return w;
}

asio::awaitable<void> loop_of(virtual_client& client, phase_kind kind, std::atomic<int>& next_dataset) {
    switch (kind) {
        case phase_kind::sync: return client.run_sync();
        case phase_kind::health: return client.run_health();
        case phase_kind::list: return client.run_list();
        case phase_kind::update: return client.run_update();
        case phase_kind::populate: return client.run_populate(next_dataset);
        case phase_kind::trigger: return client.run_observer();
    }
    throw std::logic_error("unknown phase");
}

// SetCognitoEvents for the bench's pool: the SyncTrigger `arn`, or none when it is empty.
void set_sync_trigger(const bench_options& options, const workload& load, const asio::ip::tcp::endpoint& endpoint,
                      const std::string& arn) {
    asio::io_context io;
    http_connection connection(io, endpoint, options.host + ":" + options.port);
    const std::string target = load.events_target();  // send() keeps a view of it
    auto answer = asio::co_spawn(
        io, connection.send(boost::beast::http::verb::post, target, workload::events_body(arn)), asio::use_future);
    io.run();
    const http_result r = answer.get();
    if (r.status != 200) {
        throw std::runtime_error("SetCognitoEvents answered " + std::to_string(r.status) + " " + r.body + r.error);
    }
}

void report_stop(int client, std::exception_ptr e) {
    if (!e) {
        return;
    }
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        std::cerr << "cogsync_bench: client " << client << " stopped: " << ex.what() << "\n";
    }
}

// Runs each io_context on a thread of its own until its clients are done, calling `tick` about
// every 200 ms meanwhile.
void run_until_done(std::vector<std::unique_ptr<asio::io_context>>& contexts, const std::function<void()>& tick) {
    std::atomic<std::size_t> finished{0};
    std::vector<std::thread> threads;
    for (auto& context : contexts) {
        threads.emplace_back([&ctx = *context, &finished] {
            ctx.run();
            ++finished;
        });
    }
    while (finished < contexts.size()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        tick();
    }
    for (auto& t : threads) {
        t.join();
    }
}

void print_progress(bench_clock::time_point started, int done, int total) {
    const double elapsed = std::chrono::duration<double>(bench_clock::now() - started).count();
    std::cerr << "cogsync_bench: populate " << done << " of " << total << " datasets after " << int(elapsed)
              << " s (" << int(done / elapsed) << "/s)\n";
}

// Merges the threads' stats into the phase's result.
phase_result collect(const char* name, double measured_s, const std::vector<phase_stats>& stats) {
    phase_result result;
    result.name = name;
    result.measured_s = measured_s;
    for (const auto& s : stats) {
        result.stats.merge(s);
    }
    // Only whole seconds: the last partial one (or a request ending exactly at the deadline)
    // would read as a dip.
    const auto whole = std::size_t(std::max(1.0, std::floor(measured_s)));
    if (result.stats.requests_per_second_.size() > whole) {
        result.stats.requests_per_second_.resize(whole);
        result.stats.max_micros_per_second_.resize(whole);
    }
    return result;
}

}  // namespace

phase_result run_phase(const bench_options& options, phase_kind kind,
                       const std::vector<asio::ip::tcp::endpoint>& endpoints, std::vector<client_memory>& memory) {
    const auto& endpoint = endpoints.front();
    const workload load(options);
    const std::string host_header = options.host + ":" + options.port;
    const auto threads = std::size_t(options.threads);

    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<phase_stats> stats(threads);
    for (std::size_t t = 0; t < threads; ++t) {
        contexts.push_back(std::make_unique<asio::io_context>(1));
    }
    if (kind == phase_kind::trigger) {
        set_sync_trigger(options, load, endpoint, options.trigger_arn);
    }
    const phase_window window = window_for(options, kind);
    const auto started = bench_clock::now();

    std::atomic<int> next_dataset{0};
    client_memory writer_memory;  // the trigger writers keep their one key's count themselves
    std::vector<std::unique_ptr<virtual_client>> clients;
    // The trigger writers count every update that ended within the phase, warm-up included; the
    // trigger phase's observers run an open loop.
    phase_window writers_window = window;
    writers_window.measure_from = started;
    phase_window clients_window = window;
    clients_window.by_start = kind == phase_kind::trigger;
    auto spawn = [&](int index, int count, client_memory& m, const phase_window& w, auto loop) {
        const auto t = clients.size() % threads;
        clients.push_back(std::make_unique<virtual_client>(
            index, count, load, options, http_connection(*contexts[t], endpoints[std::size_t(index) % endpoints.size()], host_header), stats[t], w, m));
        asio::co_spawn(*contexts[t], loop(*clients.back()), [index](std::exception_ptr e) { report_stop(index, e); });
    };
    for (int i = 0; i < options.connections; ++i) {
        spawn(i, options.connections, memory[std::size_t(i)], clients_window,
              [&](virtual_client& c) { return loop_of(c, kind, next_dataset); });
    }
    if (kind == phase_kind::trigger) {
        for (int w = 0; w < options.trigger_writers; ++w) {
            spawn(w, options.trigger_writers, writer_memory, writers_window,
                  [](virtual_client& c) { return c.run_trigger_writer(); });
        }
    }

    auto last_progress = started;
    run_until_done(contexts, [&] {
        if (kind == phase_kind::populate && bench_clock::now() - last_progress >= std::chrono::seconds(15)) {
            last_progress = bench_clock::now();
            print_progress(started, std::min(next_dataset.load(), load.populate_count()), load.populate_count());
        }
    });
    if (kind == phase_kind::trigger) {
        set_sync_trigger(options, load, endpoint, "");
    }

    const double measured_s = kind == phase_kind::populate
                                  ? std::chrono::duration<double>(bench_clock::now() - started).count()
                                  : options.duration_s;
    return collect(phase_name(kind), measured_s, stats);
}

std::string probe(const asio::ip::tcp::endpoint& endpoint) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect(endpoint, ec);
    return ec ? ec.message() : std::string();
}

}  // namespace cogsync::bench
