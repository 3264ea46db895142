#pragma once

#include "bench/options.hpp"
#include "bench/stats.hpp"
#include "bench/virtual_client.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <string>
#include <vector>

namespace cogsync::bench {

struct phase_result {
    std::string name;
    double measured_s = 0;
    phase_stats stats;
};

// Runs one phase: --connections virtual clients spread over --threads io_context threads, each
// with its own connection, for --warmup + --duration seconds (the update phase first spends
// --prefetch seconds on session tokens; populate runs until every dataset is written, and its
// measured_s is how long that took). The trigger phase sets the pool's SyncTrigger first, adds
// --trigger-writers writers, and removes the trigger again at the end. Blocks until every client
// stopped. `memory` has one entry per client and carries what each knows into the next phase.
// Client i connects to endpoints[i % size] (several nodes on one store); the trigger is set
// through the first.
phase_result run_phase(const bench_options& options, phase_kind kind,
                       const std::vector<boost::asio::ip::tcp::endpoint>& endpoints,
                       std::vector<client_memory>& memory);

// Opens and closes one TCP connection, so a missing server fails fast instead of producing a
// phase full of errors. Returns an error text, empty on success.
std::string probe(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace cogsync::bench
