#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 (port 0: any free port) for the outbound client's tests,
// a thread per connection. It answers every request 200 with the request body echoed back and
// keeps the connection open, unless told otherwise; it counts accepted connections and requests.
// The switches take effect from the next request read.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cogsync::test {

class local_http_server {
public:
    local_http_server();
    ~local_http_server();  // closes every connection and joins every thread
    local_http_server(const local_http_server&) = delete;
    local_http_server& operator=(const local_http_server&) = delete;

    std::string url(const std::string& path = "/") const;

    int connections() const { return connections_; }
    int requests() const { return requests_; }

    // Answer with `Connection: close` and close.
    std::atomic<bool> close_after_reply{false};
    // The next n requests are read and the connection closed without a byte of reply.
    std::atomic<int> drop_unanswered{0};
    // The next n requests get half a status line, then the connection is closed.
    std::atomic<int> cut_replies{0};
    // Write the header and the body of a reply in two writes, Nagle on, as Python's http.server.
    std::atomic<bool> split_replies{false};
    // Hold every reply until this many requests have been read in all (or the server stops).
    std::atomic<int> hold_until{0};

    // Closes every open connection from the server side, as a server's idle timeout does.
    void drop_connections();

private:
    void accept_loop();
    void serve(int fd);
    void hold();  // counts the request
    bool answer(int fd, const std::string& body);  // false: the connection is done

    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<int> connections_{0};
    std::atomic<int> requests_{0};
    std::mutex mu_;
    std::condition_variable held_;
    bool stopping_ = false;
    std::vector<int> fds_;
    std::vector<std::thread> threads_;
    std::thread acceptor_;
};

}  // namespace cogsync::test
