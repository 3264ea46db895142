#pragma once
// A small synchronous HTTP/1.1 client for the sinks and triggers, http:// and https://, over
// keep-alive connections pooled per target (server/hooks/http_pool.hpp). The whole call (taking or
// opening a connection: resolve, connect, TLS handshake; write; read) must finish within the
// timeout. https: TLS 1.2+, SNI, the peer verified against the system trust store (plus the url's
// ca_file) and the host name (RFC 2818); there is deliberately no way to turn that off.
// Blocks the calling thread: use from sink threads and request workers, never from I/O threads.
#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cogsync::server {

struct http_url {
    bool tls = false;          // https
    std::string host;
    std::string port = "80";   // 443 by default for https
    std::string target = "/";  // path and query, at least "/"
    std::string ca_file;       // https only: a PEM file of extra trusted CAs ("" = system CAs only)
};

// Parses "http[s]://host[:port][/path]"; `ca_file` is kept for https. Throws
// std::invalid_argument on any other scheme, a bad host or port, or a ca_file with http://.
http_url parse_http_url(const std::string& url, const std::string& ca_file = "");

// The Host header value: host, bracketed when IPv6, with ":port" unless the scheme's default.
std::string host_header(const http_url& url);

struct http_reply {
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // Case-insensitive; "" when absent.
    std::string header(const std::string& name) const;
};

// Transport failures (refused, reset, timeout); `timed_out` tells the timeout apart.
class http_error : public std::runtime_error {
public:
    http_error(const std::string& what, bool timed_out) : std::runtime_error(what), timed_out_(timed_out) {}
    bool timed_out() const { return timed_out_; }

private:
    bool timed_out_;
};

struct http_call {
    std::string method = "POST";
    http_url url;
    std::vector<std::pair<std::string, std::string>> headers;  // Host and Content-Length are added
    std::string body;
    std::chrono::milliseconds timeout{5000};
};

// Any status is a reply; only transport failures throw http_error. A header name or value holding
// a control character (CR, LF, NUL, ...; HTAB is allowed in values) throws std::invalid_argument
// before anything is sent: the last line of defence against header injection and request
// smuggling through values that come from API input (a StreamName, a Sync Trigger ARN). Goes through
// shared_http_pool(): a call may reuse a connection an earlier call left open, and may be sent a
// second time when a reused connection turns out closed (the contract in server/hooks/http_pool.hpp).
http_reply send_http(const http_call& call);

}  // namespace cogsync::server
