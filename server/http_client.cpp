#include "server/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <strings.h>

namespace cogsync::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

http_url parse_http_url(const std::string& url) {
    const std::string scheme = "http://";
    if (url.rfind(scheme, 0) != 0) throw std::invalid_argument("not an http:// URL: " + url);
    auto rest = url.substr(scheme.size());
    auto slash = rest.find('/');
    http_url out;
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

}  // namespace

http_reply send_http(const http_call& call) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    auto deadline = std::chrono::steady_clock::now() + call.timeout;
    beast::error_code ec;

    asio::ip::tcp::resolver resolver(ioc);
    asio::ip::tcp::resolver::results_type endpoints;
    resolver.async_resolve(call.url.host, call.url.port, [&](beast::error_code e, auto r) {
        ec = e;
        endpoints = r;
    });
    finish(ioc, ec, "resolve");

    stream.expires_at(deadline);
    stream.async_connect(endpoints, [&](beast::error_code e, auto) { ec = e; });
    finish(ioc, ec, "connect");

    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(call.method), call.url.target, 11};
    req.set(bhttp::field::host, call.url.host + ":" + call.url.port);
    for (const auto& [k, v] : call.headers) req.set(k, v);
    req.body() = call.body;
    req.prepare_payload();
    stream.expires_at(deadline);
    bhttp::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    finish(ioc, ec, "write");

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16u << 20);
    stream.expires_at(deadline);
    bhttp::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    finish(ioc, ec, "read");

    auto res = parser.release();
    http_reply out;
    out.status = res.result_int();
    for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    return out;
}

}  // namespace cogsync::server
