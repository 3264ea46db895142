#pragma once
// One HTTP/1.1 connection: waits for a request under the idle timeout, reads its headers, takes
// the body's bytes from the shared budget (503 when it is spent), sends 100 Continue to a client
// that waits for it, reads the body under the read timeout with body and header limits, then
// drives the request's steps (api/step.hpp) on the connection's thread: the API runs right here,
// a write goes to the store with a completion that resumes here, a Sync Trigger call goes to the
// outbound executor. No thread ever waits for a commit. Writes the answer and loops while
// keep-alive holds. One request in flight at a time.
//
// Drain (SIGTERM): an idle connection is closed at once; a busy one finishes its request, answers
// it with Connection: close, and closes.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "api/api_error.hpp"
#include "api/request.hpp"
#include "api/step.hpp"
#include "server/shared_state.hpp"

namespace cogsync::server {

// A connection's io_context, which one thread runs (server/io_pool.hpp): its handlers are
// serialised without a strand. Spelled as its concrete type: through the type-erased
// any_io_executor every handler would pay for an executor copy and a dynamic prefer() (about 6 %
// of a /health request's CPU in a profile).
using session_executor = boost::asio::io_context::executor_type;
using session_socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, session_executor>;

class http_session : public std::enable_shared_from_this<http_session> {
public:
    http_session(session_socket&& socket, shared_state& state);
    ~http_session();
    void run();
    // Closes the connection if it is waiting for a request; a busy one closes after answering.
    void drain();

private:
    void do_wait();
    void on_wait(boost::beast::error_code ec, std::size_t n);
    void do_read();
    bool parse_buffered(boost::beast::error_code& ec);
    void on_header(boost::beast::error_code ec, std::size_t n);
    void do_continue();
    void do_read_body();
    void on_read(boost::beast::error_code ec, std::size_t n);
    void drive(api::step s);
    void resume(const api::continuation& next, std::exception_ptr error);
    void on_handled(api::response&& resp);
    std::size_t write_now(const std::array<boost::asio::const_buffer, 2>& wire, boost::beast::error_code& ec);
    void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t n);
    void reject(const api::api_error& e);
    void release_budget();
    void do_close();
    void do_drain();

    boost::beast::basic_stream<boost::asio::ip::tcp, session_executor, boost::beast::unlimited_rate_policy> stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    shared_state& state_;
    connection_registry& connections_;  // outlives the io_context, unlike state_ (server/app.cpp)
    api::request req_;             // the request in flight; continuations refer to it
    unsigned version_ = 11;
    bool keep_alive_ = true;
    bool idle_ = false;            // waiting for the first byte of a request
    std::size_t reserved_ = 0;     // bytes taken from the shared budget for this request
    std::chrono::steady_clock::time_point started_;  // the request's headers read (for metrics)
    unsigned status_ = 0;          // the status of the answer being written
    std::string peer_;             // the client's IP address (api::request::client_address)
};

}  // namespace cogsync::server
