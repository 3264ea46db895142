#include "config/public_urls.hpp"

namespace cogsync::config {

std::string public_url(const settings& s, uint16_t bound_port) {
    if (!s.public_url.empty()) return s.public_url.back() == '/' ? s.public_url.substr(0, s.public_url.size() - 1) : s.public_url;
    auto host = s.listen_host == "0.0.0.0" || s.listen_host == "::" ? std::string("127.0.0.1") : s.listen_host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(bound_port);
}

std::string token_issuer(const settings& s, uint16_t bound_port) {
    return s.token_issuer.empty() ? public_url(s, bound_port) : s.token_issuer;
}

}  // namespace cogsync::config
