#pragma once

#include "bench/options.hpp"
#include "bench/stats.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <string>

namespace cogsync::bench {

enum class phase_kind { sync, health };

struct phase_result {
    std::string name;
    double measured_s = 0;
    phase_stats stats;
};

// Runs one phase: --connections virtual clients spread over --threads io_context threads, each
// with its own connection, for --warmup + --duration seconds. Blocks until every client stopped.
phase_result run_phase(const bench_options& options, phase_kind kind,
                       const boost::asio::ip::tcp::endpoint& endpoint);

// Opens and closes one TCP connection, so a missing server fails fast instead of producing a
// phase full of errors. Returns an error text, empty on success.
std::string probe(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace cogsync::bench
