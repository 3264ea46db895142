#include "server/hooks/http_client.hpp"

#include <strings.h>

#include "server/hooks/http_pool.hpp"

namespace cogsync::server {

http_url parse_http_url(const std::string& url, const std::string& ca_file) {
    http_url out;
    std::string rest;
    if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else if (url.rfind("https://", 0) == 0) {
        rest = url.substr(8);
        out.tls = true;
        out.port = "443";
        out.ca_file = ca_file;
    } else {
        throw std::invalid_argument("not an http:// or https:// URL: " + url);
    }
    if (!ca_file.empty() && !out.tls) throw std::invalid_argument("ca_file needs an https:// URL: " + url);
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    if (slash != std::string::npos) out.target = rest.substr(slash);
    auto colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
        out.port = authority.substr(colon + 1);
        authority = authority.substr(0, colon);
    }
    if (authority.size() > 1 && authority.front() == '[' && authority.back() == ']')
        authority = authority.substr(1, authority.size() - 2);
    out.host = authority;
    if (out.host.empty() || out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument("bad host or port in URL: " + url);
    return out;
}

std::string host_header(const http_url& url) {
    auto host = url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
    if (url.port == (url.tls ? "443" : "80")) return host;
    return host + ":" + url.port;
}

std::string http_reply::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
    return {};
}

namespace {

bool has_control(const std::string& s, bool allow_tab) {
    for (unsigned char c : s)
        if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f) return true;
    return false;
}

}  // namespace

http_reply send_http(const http_call& call) {
    for (const auto& [name, value] : call.headers)
        if (name.empty() || has_control(name, false) || name.find_first_of(" :") != std::string::npos ||
            has_control(value, true))
            throw std::invalid_argument("refusing to send header '" + name + "': control character in name or value");
    return shared_http_pool().send(call);
}

}  // namespace cogsync::server
