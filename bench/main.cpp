// cogsync_bench: a black-box load generator for cogsync (see bench/README.md). It speaks HTTP to
// a running server and links none of the server's libraries.
#include "bench/options.hpp"
#include "bench/report.hpp"
#include "bench/runner.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <exception>
#include <iostream>
#include <vector>

namespace {

// The server of --endpoint, then those --endpoints adds.
std::vector<boost::asio::ip::tcp::endpoint> resolve(const cogsync::bench::bench_options& options) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    std::vector<boost::asio::ip::tcp::endpoint> out{resolver.resolve(options.host, options.port)->endpoint()};
    for (const auto& [host, port] : options.more_servers) {
        out.push_back(resolver.resolve(host, port)->endpoint());
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cogsync::bench;
    int exit_code = 0;
    auto options = parse_options(argc, argv, exit_code);
    if (!options) {
        return exit_code;
    }
    try {
        const auto endpoints = resolve(*options);
        for (const auto& endpoint : endpoints) {
            if (auto error = probe(endpoint); !error.empty()) {
                std::cerr << "cogsync_bench: cannot connect to " << endpoint << ": " << error << "\n";
                return 2;
            }
        }
        std::vector<phase_result> phases;
        std::vector<client_memory> memory(std::size_t(options->connections));
        for (const phase_kind kind : options->phases) {
            std::cerr << "cogsync_bench: " << phase_name(kind) << " phase";
            if (kind == phase_kind::populate) {
                std::cerr << " (" << options->identities << " identities x " << options->datasets_per_identity
                          << " datasets)\n";
            } else {
                std::cerr << " (" << (kind == phase_kind::update ? options->prefetch_s : 0.0) << " s tokens + "
                          << options->warmup_s << " s warm-up + " << options->duration_s << " s)\n";
            }
            phases.push_back(run_phase(*options, kind, endpoints, memory));
        }
        if (options->json) {
            print_json_report(std::cout, *options, phases);
        } else {
            print_text_report(std::cout, *options, phases);
        }
    } catch (const std::exception& e) {
        std::cerr << "cogsync_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
