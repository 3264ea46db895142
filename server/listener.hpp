#pragma once
// Accepts connections (on the I/O pool's first thread) and starts a session for each, on the
// pool's io_contexts in turn. Beyond the connection limit, and once a drain began, new
// connections are closed at once. Out of descriptors (or kernel memory),
// accepting pauses, 50 ms after the first failure doubling up to 1 s, since the pending connection
// stays queued and an immediate retry fails again at once; the warning comes at most every 10 s.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "server/backoff.hpp"
#include "server/io_pool.hpp"
#include "server/log_throttle.hpp"
#include "server/shared_state.hpp"

namespace cogsync::server {

class listener : public std::enable_shared_from_this<listener> {
public:
    // Binds and listens at once; throws on failure.
    listener(io_pool& io, const boost::asio::ip::tcp::endpoint& at, shared_state& state);
    void run();
    void stop();
    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

private:
    void do_accept();
    void pause_accepting(const boost::system::error_code& ec);

    io_pool& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    shared_state& state_;
    boost::asio::steady_timer retry_timer_;  // on the acceptor's io_context
    backoff retry_backoff_{std::chrono::milliseconds(50), std::chrono::seconds(1)};
    log_throttle retry_log_{std::chrono::seconds(10)};
};

}  // namespace cogsync::server
