#include "server/listener.hpp"

#include <spdlog/spdlog.h>

#include "server/http_session.hpp"

namespace cogsync::server {

namespace asio = boost::asio;

namespace {

// Failures that last until descriptors or memory are freed, unlike a client's aborted handshake.
bool out_of_resources(const boost::system::error_code& ec) {
    return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system || ec == asio::error::no_buffer_space ||
           ec == asio::error::no_memory;
}

}  // namespace

listener::listener(io_pool& io, const asio::ip::tcp::endpoint& at, shared_state& state)
    : io_(io), acceptor_(io.first()), state_(state), retry_timer_(acceptor_.get_executor()) {
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
    acceptor_.async_accept(io_.next().get_executor(), [self = shared_from_this()](boost::system::error_code ec,
                                                                               session_socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (out_of_resources(ec)) return self->pause_accepting(ec);
        if (!ec) self->retry_backoff_.reset();
        if (ec) {
            spdlog::warn("accept failed: {}", ec.message());
        } else if (self->state_.connections.draining()) {
            // Accepted just before the drain began: its io_context may already have finished
            // (io_pool::release), and a session queued there would never run nor leave the registry.
        } else if (self->state_.connections.count() >= self->state_.settings.max_connections) {
            spdlog::warn("connection limit {} reached; closing a new connection", self->state_.settings.max_connections);
        } else {
            boost::system::error_code ignored;
            socket.set_option(asio::ip::tcp::no_delay(true), ignored);
            std::make_shared<http_session>(std::move(socket), self->state_)->run();
        }
        // stop() may have closed the acceptor after this accept completed (a load balancer's
        // health check arriving as the drain begins): accepting again would fail at once, for ever.
        if (self->acceptor_.is_open()) self->do_accept();
    });
}

void listener::pause_accepting(const boost::system::error_code& ec) {
    auto delay = retry_backoff_.next();
    if (auto held_back = retry_log_.admit(std::chrono::steady_clock::now()))
        spdlog::warn("accept failed: {}; pausing accepts, next try in {} ms ({} such failures not logged since the "
                     "last warning)",
                     ec.message(), delay.count(), *held_back);
    retry_timer_.expires_after(delay);
    retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec && self->acceptor_.is_open()) self->do_accept();
    });
}

}  // namespace cogsync::server
