#include "server/hooks/http_connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/rfc2818_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "server/tls_context.hpp"

namespace cogsync::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;

namespace {

[[noreturn]] void fail(const beast::error_code& ec, const char* step) {
    bool timeout = ec == beast::error::timeout;
    throw http_error(std::string(step) + ": " + (timeout ? "timed out" : ec.message()), timeout);
}

// How a peer that dropped an idle connection shows up on the next read.
bool closed_by_peer(const beast::error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe || ec == ssl::error::stream_truncated;
}

ssl::context& tls_context_for(const http_url& url) {
    try {
        return client_tls_context(url.ca_file);
    } catch (const std::exception& e) {
        throw http_error(std::string("tls: ") + e.what(), false);
    }
}

}  // namespace

http_connection::http_connection(const http_url& url, clock::time_point deadline)
    : stream_(std::in_place_index<0>, ioc_) {
    if (url.tls) stream_.emplace<tls_stream>(ioc_, tls_context_for(url));
    connect(url, deadline);
    if (url.tls) handshake(url, deadline);
}

http_connection::~http_connection() {
    beast::error_code ignored;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

beast::tcp_stream& http_connection::tcp() {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); }, stream_);
}

void http_connection::run() {
    ioc_.run();
    ioc_.restart();
}

void http_connection::connect(const http_url& url, clock::time_point deadline) {
    beast::error_code ec;
    asio::ip::tcp::resolver resolver(ioc_);
    asio::ip::tcp::resolver::results_type endpoints;
    resolver.async_resolve(url.host, url.port, [&](beast::error_code e, auto r) {
        ec = e;
        endpoints = r;
    });
    run();
    if (ec) fail(ec, "resolve");
    tcp().expires_at(deadline);
    tcp().async_connect(endpoints, [&](beast::error_code e, auto) { ec = e; });
    run();
    if (ec) fail(ec, "connect");
    // a request larger than one TLS record goes out in several writes: none waits on an ACK
    tcp().socket().set_option(asio::ip::tcp::no_delay(true), ec);
}

// A peer that writes a reply's header and body in two small writes with Nagle on (Python's
// http.server does) sends the body only once we ACK the header, and Linux delays that ACK up to
// 40 ms on a connection that has turned interactive, i.e. on every reused one: a keep-alive call
// to such a peer took ~45 ms against ~2 ms on a new connection. Leaving that mode just before
// reading makes the kernel ACK as soon as we have read the header. Pinned by http_pool_test
// ("not slowed by delayed ACKs").
void http_connection::ack_promptly() {
#ifdef TCP_QUICKACK
    int on = 1;
    ::setsockopt(tcp().socket().native_handle(), IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
#endif
}

// SNI (not for IP literals, RFC 6066 3) and RFC 2818 host-name (or IP SAN) verification.
void http_connection::handshake(const http_url& url, clock::time_point deadline) {
    auto& stream = std::get<tls_stream>(stream_);
    beast::error_code ec;
    asio::ip::make_address(url.host, ec);
    if (ec && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()))
        throw http_error("tls: cannot set SNI host name", false);
    stream.set_verify_mode(ssl::verify_peer);
    stream.set_verify_callback(ssl::rfc2818_verification(url.host));
    ec = {};
    tcp().expires_at(deadline);
    stream.async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
    run();
    if (ec) fail(ec, "tls handshake");
}

http_reply http_connection::exchange(const http_call& call, clock::time_point deadline) {
    reusable_ = false;
    unanswered_ = false;
    return std::visit([&](auto& stream) { return exchange_on(stream, call, deadline); }, stream_);
}

template <class Stream>
http_reply http_connection::exchange_on(Stream& stream, const http_call& call, clock::time_point deadline) {
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(call.method), call.url.target, 11};
    req.set(bhttp::field::host, host_header(call.url));
    for (const auto& [k, v] : call.headers) req.set(k, v);
    req.body() = call.body;
    req.prepare_payload();
    beast::error_code ec;
    tcp().expires_at(deadline);
    bhttp::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec) {
        unanswered_ = ec != beast::error::timeout;
        fail(ec, "write");
    }

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16u << 20);
    ack_promptly();
    tcp().expires_at(deadline);
    bhttp::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec) {
        unanswered_ = !parser.got_some() && buffer.size() == 0 && closed_by_peer(ec);
        fail(ec, "read");
    }
    reusable_ = parser.keep_alive() && req.keep_alive() && buffer.size() == 0;

    auto res = parser.release();
    http_reply out;
    out.status = res.result_int();
    for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    return out;
}

bool http_connection::readable_while_idle() {
    if (auto* tls = std::get_if<tls_stream>(&stream_); tls && SSL_has_pending(tls->native_handle())) return true;
    pollfd p{};
    p.fd = tcp().socket().native_handle();
    p.events = POLLIN | POLLRDHUP;
    return ::poll(&p, 1, 0) != 0;
}

}  // namespace cogsync::server
