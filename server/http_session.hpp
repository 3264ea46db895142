#pragma once
// One HTTP/1.1 connection: waits for a request under the idle timeout, reads it under the read
// timeout with body and header limits, hands it to a worker, writes the answer on the
// connection's strand, and loops while keep-alive holds. One request in flight at a time.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "api/api_error.hpp"
#include "api/request.hpp"
#include "server/shared_state.hpp"

namespace cogsync::server {

class http_session : public std::enable_shared_from_this<http_session> {
public:
    http_session(boost::asio::ip::tcp::socket&& socket, shared_state& state);
    ~http_session();
    void run();

private:
    void do_wait();
    void on_wait(boost::beast::error_code ec, std::size_t n);
    void do_read();
    void on_read(boost::beast::error_code ec, std::size_t n);
    void on_handled(api::response&& resp, unsigned version, bool keep_alive);
    void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t n);
    void reject(const api::request& req, const api::api_error& e);
    void do_close();
    void do_drain();

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    shared_state& state_;
};

}  // namespace cogsync::server
