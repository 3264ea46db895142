#include "bench/http_connection.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace cogsync::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {
// Generous: a stalled server shows up as latency outliers first and only then as errors.
constexpr auto request_timeout = std::chrono::seconds(30);
constexpr std::uint64_t response_body_limit = 16 * 1024 * 1024;
}  // namespace

http_connection::http_connection(asio::io_context& io, asio::ip::tcp::endpoint endpoint,
                                 std::string host_header)
    : stream_(io), endpoint_(endpoint), host_header_(std::move(host_header)) {}

void http_connection::close() {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
    buffer_.clear();
    connected_ = false;
}

asio::awaitable<http_result> http_connection::send(http::verb verb, std::string_view target,
                                                   std::string body) {
    http_result result;
    result.started = bench_clock::now();
    beast::error_code ec;
    auto fail = [&](const char* where) {
        result.error = std::string(where) + ": " + ec.message();
        result.finished = bench_clock::now();
        close();
    };

    if (!connected_) {
        stream_.expires_after(request_timeout);
        co_await stream_.async_connect(endpoint_, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            fail("connect");
            co_return result;
        }
        stream_.socket().set_option(asio::ip::tcp::no_delay(true));
        connected_ = true;
        ++connects_;
    }

    http::request<http::string_body> req{verb, std::string(target), 11};
    req.set(http::field::host, host_header_);
    req.set(http::field::user_agent, "cogsync_bench");
    if (verb == http::verb::post) {
        req.set(http::field::content_type, "application/json");
        req.body() = std::move(body);
    }
    req.prepare_payload();

    stream_.expires_after(request_timeout);
    co_await http::async_write(stream_, req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        fail("write");
        co_return result;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(response_body_limit);
    co_await http::async_read(stream_, buffer_, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        fail("read");
        co_return result;
    }
    result.finished = bench_clock::now();
    auto res = parser.release();
    result.status = int(res.result_int());
    result.body = std::move(res.body());
    if (!res.keep_alive()) {
        close();
    }
    co_return result;
}

}  // namespace cogsync::bench
