#pragma once

// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace cogsync::bench {

using bench_clock = std::chrono::steady_clock;

// One answered (or failed) request. status 0 means no HTTP answer: see `error`.
struct http_result {
    int status = 0;
    std::string body;
    std::string error;
    bench_clock::time_point started;
    bench_clock::time_point finished;

    std::uint64_t micros() const {
        return std::uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(finished - started).count());
    }
};

// A single HTTP/1.1 keep-alive connection used by one virtual client at a time (one request in
// flight). It connects lazily, and after a transport failure or "Connection: close" it drops the
// socket so the next request reconnects; a failed request is reported, never retried, because
// UpdateRecords is not idempotent.
class http_connection {
public:
    http_connection(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint endpoint,
                    std::string host_header);

    boost::asio::awaitable<http_result> send(boost::beast::http::verb verb, std::string_view target,
                                             std::string body);

    std::uint64_t connects() const { return connects_; }

private:
    void close();

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    boost::asio::ip::tcp::endpoint endpoint_;
    std::string host_header_;
    bool connected_ = false;
    std::uint64_t connects_ = 0;
};

}  // namespace cogsync::bench
