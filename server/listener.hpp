#pragma once
// Accepts connections and starts a session for each, each on its own strand. Beyond the
// connection limit, new connections are closed at once. Out of descriptors (or kernel memory),
// accepting pauses, 50 ms after the first failure doubling up to 1 s, since the pending connection
// stays queued and an immediate retry fails again at once; the warning comes at most every 10 s.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "server/backoff.hpp"
#include "server/log_throttle.hpp"
#include "server/shared_state.hpp"

namespace cogsync::server {

class listener : public std::enable_shared_from_this<listener> {
public:
    // Binds and listens at once; throws on failure.
    listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& at, shared_state& state);
    void run();
    void stop();
    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

private:
    void do_accept();
    void pause_accepting(const boost::system::error_code& ec);

    boost::asio::io_context& ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    shared_state& state_;
    boost::asio::steady_timer retry_timer_;  // on the acceptor's strand
    backoff retry_backoff_{std::chrono::milliseconds(50), std::chrono::seconds(1)};
    log_throttle retry_log_{std::chrono::seconds(10)};
};

}  // namespace cogsync::server
