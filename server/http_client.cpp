#include "server/http_client.hpp"

#include <openssl/ssl.h>
#include <strings.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/rfc2818_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "server/tls_context.hpp"

namespace cogsync::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;

http_url parse_http_url(const std::string& url, const std::string& ca_file) {
    http_url out;
    std::string rest;
    if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else if (url.rfind("https://", 0) == 0) {
        rest = url.substr(8);
        out.tls = true;
        out.port = "443";
        out.ca_file = ca_file;
    } else {
        throw std::invalid_argument("not an http:// or https:// URL: " + url);
    }
    if (!ca_file.empty() && !out.tls) throw std::invalid_argument("ca_file needs an https:// URL: " + url);
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    if (slash != std::string::npos) out.target = rest.substr(slash);
    auto colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
        out.port = authority.substr(colon + 1);
        authority = authority.substr(0, colon);
    }
    if (authority.size() > 1 && authority.front() == '[' && authority.back() == ']')
        authority = authority.substr(1, authority.size() - 2);
    out.host = authority;
    if (out.host.empty() || out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument("bad host or port in URL: " + url);
    return out;
}

std::string host_header(const http_url& url) {
    auto host = url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
    if (url.port == (url.tls ? "443" : "80")) return host;
    return host + ":" + url.port;
}

std::string http_reply::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
    return {};
}

namespace {

// Runs the io_context until the pending operation completes; maps errors to http_error.
void finish(asio::io_context& ioc, beast::error_code& ec, const char* step) {
    ioc.run();
    ioc.restart();
    if (!ec) return;
    bool timeout = ec == beast::error::timeout;
    throw http_error(std::string(step) + ": " + (timeout ? "timed out" : ec.message()), timeout);
}

using clock_point = std::chrono::steady_clock::time_point;

void connect(asio::io_context& ioc, beast::tcp_stream& stream, const http_url& url, clock_point deadline) {
    beast::error_code ec;
    asio::ip::tcp::resolver resolver(ioc);
    asio::ip::tcp::resolver::results_type endpoints;
    resolver.async_resolve(url.host, url.port, [&](beast::error_code e, auto r) {
        ec = e;
        endpoints = r;
    });
    finish(ioc, ec, "resolve");
    stream.expires_at(deadline);
    stream.async_connect(endpoints, [&](beast::error_code e, auto) { ec = e; });
    finish(ioc, ec, "connect");
}

// SNI (not for IP literals, RFC 6066 3) and RFC 2818 host-name (or IP SAN) verification.
void handshake(asio::io_context& ioc, beast::ssl_stream<beast::tcp_stream>& stream, const http_url& url,
               clock_point deadline) {
    beast::error_code ec;
    asio::ip::make_address(url.host, ec);
    if (ec && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()))
        throw http_error("tls: cannot set SNI host name", false);
    stream.set_verify_mode(ssl::verify_peer);
    stream.set_verify_callback(ssl::rfc2818_verification(url.host));
    ec = {};
    beast::get_lowest_layer(stream).expires_at(deadline);
    stream.async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
    finish(ioc, ec, "tls handshake");
}

template <class Stream>
http_reply exchange(asio::io_context& ioc, Stream& stream, const http_call& call, clock_point deadline) {
    beast::error_code ec;
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(call.method), call.url.target, 11};
    req.set(bhttp::field::host, host_header(call.url));
    for (const auto& [k, v] : call.headers) req.set(k, v);
    req.body() = call.body;
    req.prepare_payload();
    beast::get_lowest_layer(stream).expires_at(deadline);
    bhttp::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    finish(ioc, ec, "write");

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16u << 20);
    beast::get_lowest_layer(stream).expires_at(deadline);
    bhttp::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    finish(ioc, ec, "read");

    auto res = parser.release();
    http_reply out;
    out.status = res.result_int();
    for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    return out;
}

}  // namespace

http_reply send_http(const http_call& call) {
    asio::io_context ioc;
    auto deadline = std::chrono::steady_clock::now() + call.timeout;
    beast::error_code ignored;
    if (!call.url.tls) {
        beast::tcp_stream stream(ioc);
        connect(ioc, stream, call.url, deadline);
        auto out = exchange(ioc, stream, call, deadline);
        stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        return out;
    }
    ssl::context* ctx = nullptr;
    try {
        ctx = &client_tls_context(call.url.ca_file);
    } catch (const std::exception& e) {
        throw http_error(std::string("tls: ") + e.what(), false);
    }
    beast::ssl_stream<beast::tcp_stream> stream(ioc, *ctx);
    connect(ioc, beast::get_lowest_layer(stream), call.url, deadline);
    handshake(ioc, stream, call.url, deadline);
    auto out = exchange(ioc, stream, call, deadline);
    // No close_notify exchange: the reply is complete (framed by the parser), and waiting for the
    // peer's close_notify could only cost time within the deadline.
    beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    return out;
}

}  // namespace cogsync::server
