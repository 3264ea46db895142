// cogsync_minimal_server: the reference the server's GET /health is measured against. It is the
// least a Beast HTTP server can do: one io_context run by --threads threads (cogsync's default
// --io-threads is 2), keep-alive, every request answered 200 with the body cogsync's /health
// sends. Like cogsync it logs "listening on HOST:PORT" with the real port when given port 0, and
// stops on SIGINT or SIGTERM with exit code 0.
//
//   cogsync_minimal_server [--listen 127.0.0.1:0] [--threads 2]

// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view body = R"({"status":"ok"})";

// One connection: read a request, answer it, until the peer closes or asks to.
asio::awaitable<void> serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
        http::request<http::string_body> req;
        co_await http::async_read(stream, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            break;
        }
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, "application/json");
        res.keep_alive(req.keep_alive());
        res.body() = body;
        res.prepare_payload();
        co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !res.keep_alive()) {
            break;
        }
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> accept(tcp::acceptor& acceptor) {
    for (;;) {
        beast::error_code ec;
        tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted) {
            co_return;
        }
        if (!ec) {
            socket.set_option(tcp::no_delay(true));
            asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"cogsync_minimal_server: answers every HTTP request 200 {\"status\":\"ok\"}"};
    std::string listen = "127.0.0.1:0";
    int threads = 2;
    app.add_option("--listen", listen, "HOST:PORT to bind; port 0 = any free port")->capture_default_str();
    app.add_option("--threads", threads, "I/O threads")->check(CLI::Range(1, 256))->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        std::cerr << "cogsync_minimal_server: --listen must be HOST:PORT\n";
        return 64;
    }
    try {
        asio::io_context io(threads);
        tcp::endpoint at(asio::ip::make_address(listen.substr(0, colon)),
                         static_cast<unsigned short>(std::stoi(listen.substr(colon + 1))));
        tcp::acceptor acceptor(io, at);
        asio::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&](beast::error_code, int) {
            acceptor.close();
            io.stop();
        });
        asio::co_spawn(io, accept(acceptor), asio::detached);
        const auto bound = acceptor.local_endpoint();
        std::cerr << "listening on " << bound.address().to_string() << ":" << bound.port() << std::endl;

        std::vector<std::thread> pool;
        for (int i = 1; i < threads; ++i) {
            pool.emplace_back([&io] { io.run(); });
        }
        io.run();
        for (auto& t : pool) {
            t.join();
        }
    } catch (const std::exception& e) {
        std::cerr << "cogsync_minimal_server: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
