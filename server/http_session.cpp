#include "server/http_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <iterator>

#include "api/api_error.hpp"
#include "api/handle_request.hpp"
#include "server/beast_adapter.hpp"

namespace cogsync::server {

namespace beast = boost::beast;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Maps a failure to read a request (too large, malformed) to its AWS-shaped error.
api::api_error read_error(beast::error_code ec, std::size_t max_body) {
    namespace http = beast::http;
    using api::error_code;
    if (ec == http::error::body_limit)
        return {error_code::request_entity_too_large, "Request body must be at most " + std::to_string(max_body) + " bytes"};
    if (ec == http::error::header_limit) return {error_code::invalid_parameter, "Request headers are too large"};
    return {error_code::serialization, "Malformed HTTP request: " + ec.message()};
}

}  // namespace

http_session::http_session(asio::ip::tcp::socket&& socket, shared_state& state)
    : stream_(std::move(socket)), state_(state) {
    ++state_.connections;
}

http_session::~http_session() { --state_.connections; }

void http_session::run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_wait(); });
}

// Idle keep-alive wait: at least one byte must arrive within the idle timeout.
void http_session::do_wait() {
    if (buffer_.size() > 0) return do_read();
    stream_.expires_after(std::chrono::milliseconds(state_.settings.idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(4096), beast::bind_front_handler(&http_session::on_wait, shared_from_this()));
}

void http_session::on_wait(beast::error_code ec, std::size_t n) {
    if (ec) return do_close();
    buffer_.commit(n);
    do_read();
}

// The whole request, headers and body, must arrive within the read timeout: a client sending
// one byte a second is cut off.
void http_session::do_read() {
    parser_.emplace();
    parser_->body_limit(state_.settings.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(state_.settings.max_header_bytes));
    stream_.expires_after(std::chrono::milliseconds(state_.settings.read_timeout_ms));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
    namespace http = beast::http;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof)
        return do_close();
    api::request req;
    req.request_id = new_request_id();
    if (ec) return reject(req, read_error(ec, state_.settings.max_body_bytes));
    stream_.expires_never();
    auto& message = parser_->get();
    unsigned version = message.version();
    bool keep_alive = message.keep_alive();
    if (message.target().size() > state_.settings.max_url_bytes)
        return reject(req, api::api_error(api::error_code::uri_too_long, "Request URL is too long"));
    if (static_cast<std::size_t>(std::distance(message.begin(), message.end())) > state_.settings.max_header_count)
        return reject(req, api::api_error(api::error_code::invalid_parameter, "Too many request headers"));
    req = to_api_request(parser_->release(), std::move(req.request_id));
    asio::post(state_.workers, [self = shared_from_this(), req = std::move(req), version, keep_alive]() mutable {
        auto resp = api::handle_request(req, self->state_.api);
        asio::post(self->stream_.get_executor(), [self, resp = std::move(resp), version, keep_alive]() mutable {
            self->on_handled(std::move(resp), version, keep_alive);
        });
    });
}

// Refuses a request that cannot be served, then closes: after an unread body the stream is not
// at a request boundary.
void http_session::reject(const api::request& req, const api::api_error& e) {
    spdlog::debug("{} rejected: {}", req.request_id, e.what());
    on_handled(api::reject_request(req, e), 11, false);
}

void http_session::on_handled(api::response&& resp, unsigned version, bool keep_alive) {
    auto out = std::make_shared<beast_response>(to_beast_response(std::move(resp), version, keep_alive));
    stream_.expires_after(std::chrono::milliseconds(state_.settings.read_timeout_ms));
    http::async_write(stream_, *out, [self = shared_from_this(), out, keep_alive](beast::error_code ec, std::size_t n) {
        self->on_write(keep_alive, ec, n);
    });
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    if (ec || !keep_alive) return do_close();
    do_wait();
}

// Half-closes, then discards what the client still sends (for a moment) before closing, so a
// client still uploading a refused body reads the error instead of a connection reset.
void http_session::do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    if (!stream_.socket().is_open()) return;
    stream_.expires_after(2s);
    do_drain();
}

void http_session::do_drain() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(65536), [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->stream_.close();
        self->do_drain();
    });
}

}  // namespace cogsync::server
