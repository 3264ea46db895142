#include "server/listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/strand.hpp>

#include "server/http_session.hpp"

namespace cogsync::server {

namespace asio = boost::asio;

listener::listener(asio::io_context& ioc, const asio::ip::tcp::endpoint& at, shared_state& state)
    : ioc_(ioc), acceptor_(asio::make_strand(ioc)), state_(state) {
    acceptor_.open(at.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(at);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

void listener::run() { do_accept(); }

void listener::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

void listener::do_accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [self = shared_from_this()](boost::system::error_code ec,
                                                                               asio::ip::tcp::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (ec) {
            spdlog::warn("accept failed: {}", ec.message());
        } else if (self->state_.connections.count() >= self->state_.settings.max_connections) {
            spdlog::warn("connection limit {} reached; closing a new connection", self->state_.settings.max_connections);
        } else {
            boost::system::error_code ignored;
            socket.set_option(asio::ip::tcp::no_delay(true), ignored);
            std::make_shared<http_session>(std::move(socket), self->state_)->run();
        }
        self->do_accept();
    });
}

}  // namespace cogsync::server
