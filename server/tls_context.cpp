#include "server/tls_context.hpp"

#include <openssl/ssl.h>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace cogsync::server {

namespace ssl = boost::asio::ssl;

namespace {

std::unique_ptr<ssl::context> make_context(const std::string& ca_file) {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    if (SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION) != 1)
        throw std::runtime_error("cannot require TLS 1.2");
    ctx->set_verify_mode(ssl::verify_peer);
    ctx->set_default_verify_paths();
    if (!ca_file.empty()) {
        boost::system::error_code ec;
        ctx->load_verify_file(ca_file, ec);
        if (ec) throw std::runtime_error("cannot load ca_file '" + ca_file + "': " + ec.message());
    }
    return ctx;
}

}  // namespace

ssl::context& client_tls_context(const std::string& ca_file) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<ssl::context>> contexts;
    std::lock_guard lock(mutex);
    auto& slot = contexts[ca_file];
    if (!slot) slot = make_context(ca_file);
    return *slot;
}

}  // namespace cogsync::server
