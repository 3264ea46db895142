#include "bench/runner.hpp"

#include "bench/virtual_client.hpp"
#include "bench/workload.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

namespace cogsync::bench {
namespace asio = boost::asio;

namespace {

std::chrono::nanoseconds seconds(double s) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s));
}

}  // namespace

phase_result run_phase(const bench_options& options, phase_kind kind,
                       const asio::ip::tcp::endpoint& endpoint) {
    const workload load(options);
    const std::string host_header = options.host + ":" + options.port;
    const auto threads = std::size_t(options.threads);

    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<phase_stats> stats(threads);
    for (std::size_t t = 0; t < threads; ++t) {
        contexts.push_back(std::make_unique<asio::io_context>(1));
    }

    phase_window window;
    window.measure_from = bench_clock::now() + seconds(options.warmup_s);
    window.deadline = window.measure_from + seconds(options.duration_s);

    std::vector<std::unique_ptr<virtual_client>> clients;
    for (int i = 0; i < options.connections; ++i) {
        const auto t = std::size_t(i) % threads;
        clients.push_back(std::make_unique<virtual_client>(
            i, options.connections, load, options, http_connection(*contexts[t], endpoint, host_header),
            stats[t], window));
        auto& client = *clients.back();
        auto on_done = [i](std::exception_ptr e) {
            if (!e) {
                return;
            }
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                std::cerr << "cogsync_bench: client " << i << " stopped: " << ex.what() << "\n";
            }
        };
        if (kind == phase_kind::sync) {
            asio::co_spawn(*contexts[t], client.run_sync(), on_done);
        } else {
            asio::co_spawn(*contexts[t], client.run_health(), on_done);
        }
    }

    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < threads; ++t) {
        workers.emplace_back([&ctx = *contexts[t]] { ctx.run(); });
    }
    for (auto& w : workers) {
        w.join();
    }

    phase_result result;
    result.name = kind == phase_kind::sync ? "sync" : "health";
    result.measured_s = options.duration_s;
    for (const auto& s : stats) {
        result.stats.merge(s);
    }
    // Only whole seconds: the last partial one (or a request ending exactly at the deadline)
    // would read as a dip.
    const auto whole = std::size_t(std::max(1.0, std::floor(options.duration_s)));
    if (result.stats.requests_per_second_.size() > whole) {
        result.stats.requests_per_second_.resize(whole);
        result.stats.max_micros_per_second_.resize(whole);
    }
    return result;
}

std::string probe(const asio::ip::tcp::endpoint& endpoint) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect(endpoint, ec);
    return ec ? ec.message() : std::string();
}

}  // namespace cogsync::bench
