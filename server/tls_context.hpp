#pragma once
// TLS client contexts for the outbound HTTP client: TLS 1.2 or later, peer verification on, the
// system trust store plus an optional extra CA file. One context per distinct ca_file, built on
// first use and shared (an SSL_CTX is safe to share between connections once configured).
#include <boost/asio/ssl/context.hpp>
#include <string>

namespace cogsync::server {

// Throws std::runtime_error when `ca_file` cannot be read as PEM certificates.
boost::asio::ssl::context& client_tls_context(const std::string& ca_file);

}  // namespace cogsync::server
