#pragma once
// Accepts connections and starts a session for each, each on its own strand. Beyond the
// connection limit, new connections are closed at once.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

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

    boost::asio::io_context& ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    shared_state& state_;
};

}  // namespace cogsync::server
