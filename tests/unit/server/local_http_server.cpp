#include "tests/unit/server/local_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>

namespace cogsync::test {

namespace {

bool send_all(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

std::size_t content_length(const std::string& head) {
    static const std::string name = "\r\ncontent-length:";
    for (std::size_t i = 0; i + name.size() <= head.size(); ++i)
        if (strncasecmp(head.c_str() + i, name.c_str(), name.size()) == 0)
            return std::stoul(head.substr(i + name.size()));
    return 0;
}

// One request's body from the connection, `buffer` keeping what arrived beyond it; nullopt on
// EOF or error.
std::optional<std::string> read_request(int fd, std::string& buffer) {
    char chunk[4096];
    auto more = [&] {
        auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
        return true;
    };
    std::size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos)
        if (!more()) return std::nullopt;
    auto total = end + 4 + content_length(buffer.substr(0, end));
    while (buffer.size() < total)
        if (!more()) return std::nullopt;
    auto body = buffer.substr(end + 4, total - end - 4);
    buffer.erase(0, total);
    return body;
}

// Takes one from `counter` when it is positive.
bool take_one(std::atomic<int>& counter) {
    for (int n = counter; n > 0;)
        if (counter.compare_exchange_weak(n, n - 1)) return true;
    return false;
}

}  // namespace

local_http_server::local_http_server() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listen_fd_, 64) != 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error("local_http_server: cannot listen on 127.0.0.1");
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

local_http_server::~local_http_server() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    held_.notify_all();
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    drop_connections();
    for (auto& t : threads_) t.join();
    for (int fd : fds_) ::close(fd);
    ::close(listen_fd_);
}

std::string local_http_server::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void local_http_server::drop_connections() {
    std::lock_guard lock(mu_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
}

void local_http_server::accept_loop() {
    for (;;) {
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) return;
        std::lock_guard lock(mu_);
        if (stopping_) {
            ::close(fd);
            return;
        }
        ++connections_;
        fds_.push_back(fd);
        threads_.emplace_back([this, fd] { serve(fd); });
    }
}

void local_http_server::serve(int fd) {
    std::string buffer;
    while (auto body = read_request(fd, buffer)) {
        hold();
        if (!answer(fd, *body)) break;
    }
    ::shutdown(fd, SHUT_RDWR);  // closed in the destructor, so a number is never reused meanwhile
}

void local_http_server::hold() {
    std::unique_lock lock(mu_);
    ++requests_;
    held_.notify_all();
    held_.wait(lock, [&] { return stopping_ || requests_ >= hold_until; });
}

bool local_http_server::answer(int fd, const std::string& body) {
    if (take_one(drop_unanswered)) return false;
    if (take_one(cut_replies)) {
        send_all(fd, "HTTP/1.1 20");
        return false;
    }
    bool close = close_after_reply;
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
    bool sent = split_replies ? send_all(fd, head) && send_all(fd, body) : send_all(fd, head + body);
    return sent && !close;
}

}  // namespace cogsync::test
