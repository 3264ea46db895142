#include "server/http_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/execution.hpp>
#include <array>
#include <chrono>
#include <iterator>

#include "api/api_error.hpp"
#include "api/handle_request.hpp"
#include "server/beast_adapter.hpp"
#include "server/log_scope.hpp"

namespace cogsync::server {

namespace beast = boost::beast;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Maps a failure to read a request (too large, malformed) to its AWS-shaped error.
api::api_error read_error(beast::error_code ec, std::size_t max_body) {
    using api::error_code;
    if (ec == http::error::body_limit)
        return {error_code::request_entity_too_large, "Request body must be at most " + std::to_string(max_body) + " bytes"};
    if (ec == http::error::header_limit) return {error_code::invalid_parameter, "Request headers are too large"};
    return {error_code::serialization, "Malformed HTTP request: " + ec.message()};
}

// A body the client holds back until it hears 100 Continue; HTTP/1.0 clients never get one.
bool expects_continue(const http::request_parser<http::string_body>& parser) {
    const auto& m = parser.get();
    return !parser.is_done() && m.version() >= 11 && beast::iequals(m[http::field::expect], "100-continue");
}

bool closed_by_peer(beast::error_code ec) {
    return ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
           ec == asio::error::connection_reset || ec == asio::error::eof;
}

}  // namespace

http_session::http_session(session_socket&& socket, shared_state& state)
    : stream_(std::move(socket)), state_(state), connections_(state.connections) {
    boost::system::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = peer.address().to_string();
}

// May run while the io_context is destroyed, after shared_state is gone: touches only what
// outlives it.
http_session::~http_session() {
    release_budget();
    connections_.remove(this);
}

void http_session::run() {
    connections_.add(shared_from_this());
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_wait(); });
}

// Cancels the idle wait rather than closing the socket: a wait that completed with a request's
// bytes before the cancel still delivers them, and that request is answered (with Connection:
// close). Closing the socket would let such a request run and commit with no socket to answer
// on (test_drain, DrainUnderLoad).
void http_session::drain() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
        if (self->idle_) self->stream_.cancel();
    });
}

// Idle keep-alive wait: at least one byte must arrive within the idle timeout.
void http_session::do_wait() {
    if (connections_.draining()) return do_close();
    if (buffer_.size() > 0) return do_read();
    idle_ = true;
    stream_.expires_after(std::chrono::milliseconds(state_.settings.idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(4096), beast::bind_front_handler(&http_session::on_wait, shared_from_this()));
}

void http_session::on_wait(beast::error_code ec, std::size_t n) {
    idle_ = false;
    if (ec == asio::error::operation_aborted) return stream_.close();  // drain(): nothing was read
    if (ec) return do_close();
    buffer_.commit(n);
    do_read();
}

// The whole request, headers and body, must arrive within the read timeout: a client sending
// one byte a second is cut off. The headers come first, so that limits and the byte budget are
// checked before the body is read.
void http_session::do_read() {
    parser_.emplace();
    parser_->body_limit(state_.settings.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(state_.settings.max_header_bytes));
    req_ = api::request{};
    req_.request_id = new_request_id();
    stream_.expires_after(std::chrono::milliseconds(state_.settings.read_timeout_ms));
    beast::error_code ec;
    if (parse_buffered(ec)) return on_header(ec, 0);
    http::async_read_header(stream_, buffer_, *parser_, beast::bind_front_handler(&http_session::on_header, shared_from_this()));
}

// Feeds the parser what the idle wait already read. A request that arrived whole (most do: the
// idle wait reads up to 4 KiB) is then parsed here, without the two reads that would each
// complete through the io_context and arm the read timer; the parser enforces the same header
// and body limits as those reads. True once the headers are parsed, or on a parse error.
bool http_session::parse_buffered(beast::error_code& ec) {
    while (buffer_.size() > 0 && !parser_->is_done()) {
        const auto n = parser_->put(buffer_.data(), ec);
        buffer_.consume(n);
        if (ec == http::error::need_more) {
            ec = {};
            break;
        }
        if (ec) return true;
        if (n == 0) break;
    }
    return parser_->is_header_done();
}

void http_session::on_header(beast::error_code ec, std::size_t) {
    if (closed_by_peer(ec)) return do_close();
    started_ = std::chrono::steady_clock::now();
    if (ec) return reject(read_error(ec, state_.settings.max_body_bytes));
    const auto& message = parser_->get();
    if (message.target().size() > state_.settings.max_url_bytes)
        return reject(api::api_error(api::error_code::uri_too_long, "Request URL is too long"));
    if (static_cast<std::size_t>(std::distance(message.begin(), message.end())) > state_.settings.max_header_count)
        return reject(api::api_error(api::error_code::invalid_parameter, "Too many request headers"));
    // A body of unknown length (chunked) may grow to the body limit: that much is taken. A body
    // that already arrived with its headers takes its length too, so a spent budget refuses
    // every request with a body alike.
    const std::size_t need = parser_->content_length() ? static_cast<std::size_t>(*parser_->content_length())
                             : parser_->is_done()      ? 0
                                                       : state_.settings.max_body_bytes;
    if (need > 0 && !connections_.reserve(need))
        return reject(api::api_error(api::error_code::service_unavailable,
                                     "The server is busy receiving other requests; retry later"));
    reserved_ = need;
    if (expects_continue(*parser_)) return do_continue();
    do_read_body();
}

// Expect: 100-continue (curl for large bodies, .NET): the client waits for this before sending
// the body, and only once the headers passed the limits and the budget; a request refused on
// its headers gets its final status instead (RFC 9110 10.1.1).
void http_session::do_continue() {
    static constexpr std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(stream_, asio::buffer(interim.data(), interim.size()),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          if (ec) return self->do_close();
                          self->do_read_body();
                      });
}

void http_session::do_read_body() {
    if (parser_->is_done()) return on_read({}, 0);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
    if (closed_by_peer(ec)) return do_close();
    if (ec) return reject(read_error(ec, state_.settings.max_body_bytes));
    stream_.expires_never();
    version_ = parser_->get().version();
    keep_alive_ = parser_->get().keep_alive();
    req_ = to_api_request(parser_->release(), std::move(req_.request_id));
    req_.client_address = peer_;
    request_log_scope scope(req_.request_id);
    drive(api::handle_request(req_, state_.api));
}

// One step of the request: answer it, or start the store write or the outbound call whose
// completion resumes here. The completions hold outstanding work on the io_context, so it keeps
// running (through a drain too) until they are back. Each step runs in the request's log scope
// (server/log_scope.hpp); the store's write job does not (the store and the jobs log nothing).
void http_session::drive(api::step s) {
    if (auto* r = std::get_if<api::response>(&s.next)) return on_handled(std::move(*r));
    auto work = asio::prefer(stream_.get_executor(), asio::execution::outstanding_work.tracked);
    if (auto* w = std::get_if<api::write_step>(&s.next)) {
        auto then = std::make_shared<api::continuation>(std::move(w->then));
        try {
            state_.api.store.write_async(std::move(w->job), [self = shared_from_this(), then, work](bool, std::exception_ptr e) {
                asio::post(work, [self, then, e] { self->resume(*then, e); });
            });
        } catch (...) {
            resume(*then, std::current_exception());
        }
        return;
    }
    auto& o = std::get<api::outbound_step>(s.next);
    state_.outbound.submit(o.pool, [self = shared_from_this(), run = std::move(o.run), work]() {
        request_log_scope scope(self->req_.request_id);
        auto next = std::make_shared<api::step>(api::resume_request(self->req_, run));
        asio::post(work, [self, next] {
            request_log_scope scope(self->req_.request_id);
            self->drive(std::move(*next));
        });
    });
}

void http_session::resume(const api::continuation& next, std::exception_ptr error) {
    request_log_scope scope(req_.request_id);
    drive(api::resume_request(req_, next, error));
}

// Refuses a request that cannot be served, then closes: after an unread body the stream is not
// at a request boundary. A 503 tells the client when to come back.
void http_session::reject(const api::api_error& e) {
    request_log_scope scope(req_.request_id);
    spdlog::debug("rejected: {}", e.what());
    auto resp = api::reject_request(req_, e);
    if (e.code() == api::error_code::service_unavailable) resp.headers.emplace_back("Retry-After", "1");
    version_ = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
    keep_alive_ = false;
    on_handled(std::move(resp));
}

void http_session::on_handled(api::response&& resp) {
    std::string().swap(req_.body);
    release_budget();
    status_ = resp.status;
    const bool keep_alive = keep_alive_ && !connections_.draining();
    auto message = to_beast_response(std::move(resp), version_, keep_alive);
    auto out = std::make_shared<std::pair<std::string, std::string>>(head_of(message), std::move(message.body()));
    const std::array<asio::const_buffer, 2> wire{asio::buffer(out->first), asio::buffer(out->second)};
    const std::size_t total = asio::buffer_size(wire);
    // Most answers fit the socket's send buffer: written here, they need no write operation, no
    // write timer and no completion through the io_context. What does not fit is written by an
    // async_write under the read timeout, as a slow reader must not hold the session forever.
    beast::error_code ec;
    const std::size_t sent = write_now(wire, ec);
    if (ec || sent == total) {
        // With a pipelined request already buffered, continue through the io_context rather than
        // recursing into it from here.
        if (buffer_.size() == 0) return on_write(keep_alive, ec, sent);
        return asio::post(stream_.get_executor(), [self = shared_from_this(), keep_alive, ec, sent] {
            self->on_write(keep_alive, ec, sent);
        });
    }
    auto rest = beast::buffers_suffix<std::array<asio::const_buffer, 2>>(wire);
    rest.consume(sent);
    stream_.expires_after(std::chrono::milliseconds(state_.settings.read_timeout_ms));
    asio::async_write(stream_, rest, [self = shared_from_this(), out, keep_alive, sent](beast::error_code ec, std::size_t n) {
        self->on_write(keep_alive, ec, sent + n);
    });
}

// Writes what the socket takes without waiting; would_block is not an error.
std::size_t http_session::write_now(const std::array<asio::const_buffer, 2>& wire, beast::error_code& ec) {
    auto& socket = stream_.socket();
    if (!socket.non_blocking()) socket.non_blocking(true, ec);
    if (ec) return 0;
    auto rest = beast::buffers_suffix<std::array<asio::const_buffer, 2>>(wire);
    std::size_t sent = 0;
    while (asio::buffer_size(rest) > 0) {
        const std::size_t n = socket.write_some(rest, ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            ec = {};
            break;
        }
        if (ec) break;
        rest.consume(n);
        sent += n;
    }
    return sent;
}

void http_session::release_budget() {
    if (reserved_ == 0) return;
    connections_.release(reserved_);
    reserved_ = 0;
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    auto took = std::chrono::steady_clock::now() - started_;
    if (auto* m = state_.api.counters) m->observe(req_.operation, status_, took);
    if (state_.settings.access_log) {
        request_log_scope scope(req_.request_id);
        spdlog::info("{} {} {} {:.3f} ms", req_.method.empty() ? "-" : req_.method, req_.path.empty() ? "-" : req_.path,
                     status_, std::chrono::duration<double, std::milli>(took).count());
    }
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
