#pragma once
// One outbound HTTP/1.1 connection, http or https, driven synchronously by whichever thread holds
// it (it owns its io_context, so it can move between threads but never be used by two at once).
// One request in flight. Every step obeys the deadline it is given; on a timeout the socket is
// closed. https: TLS 1.2+, SNI, the peer verified against the system trust store (plus the url's
// ca_file) and the host name (RFC 2818). Used through http_pool (server/hooks/http_pool.hpp).
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <variant>

#include "server/hooks/http_client.hpp"

namespace cogsync::server {

class http_connection {
public:
    using clock = std::chrono::steady_clock;

    // Resolves, connects and (https) handshakes; throws http_error.
    http_connection(const http_url& url, clock::time_point deadline);
    ~http_connection();  // closes the socket without a TLS close_notify exchange
    http_connection(const http_connection&) = delete;
    http_connection& operator=(const http_connection&) = delete;

    // Writes the request, reads the whole reply. Throws http_error on a transport failure, after
    // which the connection is not reusable and unanswered() tells whether retrying is safe.
    http_reply exchange(const http_call& call, clock::time_point deadline);

    // The last reply was read whole, both sides allowed keep-alive, and nothing else arrived.
    bool reusable() const { return reusable_; }
    // The last exchange failed before the peer could have acted on the request: the write failed,
    // or the peer closed the connection (EOF, reset) before a single byte of a reply. What an idle
    // connection the peer dropped looks like.
    bool unanswered() const { return unanswered_; }
    // For an idle connection: whether anything arrived since the last reply (the peer's FIN, a
    // TLS close_notify, stray bytes); such a connection must not carry another request.
    bool readable_while_idle();

    clock::time_point idle_since;

private:
    using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    boost::beast::tcp_stream& tcp();
    void run();  // until the pending operation completes
    void connect(const http_url& url, clock::time_point deadline);
    void handshake(const http_url& url, clock::time_point deadline);
    void ack_promptly();
    template <class Stream>
    http_reply exchange_on(Stream& stream, const http_call& call, clock::time_point deadline);

    boost::asio::io_context ioc_;
    std::variant<boost::beast::tcp_stream, tls_stream> stream_;
    bool reusable_ = false;
    bool unanswered_ = false;
};

}  // namespace cogsync::server
