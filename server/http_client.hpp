#pragma once
// A small synchronous HTTP/1.1 client (plain http only) for the sinks and triggers. One call =
// one connection; the whole call (resolve, connect, write, read) must finish within the timeout.
// Blocks the calling thread: use from sink threads and request workers, never from I/O threads.
#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cogsync::server {

struct http_url {
    std::string host;
    std::string port = "80";
    std::string target = "/";  // path and query, at least "/"
};

// Parses "http://host[:port][/path]". Throws std::invalid_argument on anything else.
http_url parse_http_url(const std::string& url);

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

// Any status is a reply; only transport failures throw http_error.
http_reply send_http(const http_call& call);

}  // namespace cogsync::server
