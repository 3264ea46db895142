#include "api/stream_payloads.hpp"

#include <map>
#include <sstream>

#include "api/api_error.hpp"
#include "api/auth/crypto.hpp"

namespace cogsync::api {
namespace {

constexpr std::string_view prefix = "/streams/payload/";

bool plain_id(const std::string& id) {
    return !id.empty() && id.size() <= 128 &&
           id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == std::string::npos;
}

bool digits(const std::string& s) {
    return !s.empty() && s.size() <= 12 && s.find_first_not_of("0123456789") == std::string::npos;
}

std::map<std::string, std::string> query_params(const std::string& query) {
    std::map<std::string, std::string> out;
    std::istringstream in(query);
    for (std::string part; std::getline(in, part, '&');) {
        auto eq = part.find('=');
        if (eq != std::string::npos) out[part.substr(0, eq)] = part.substr(eq + 1);
    }
    return out;
}

[[noreturn]] void denied(const std::string& why) { throw api_error(error_code::not_authorized, why); }

}  // namespace

stream_payloads::stream_payloads(storage::record_store& store, std::string key, int64_t ttl_ms)
    : store_(store), key_(std::move(key)), ttl_ms_(ttl_ms) {}

std::string stream_payloads::signature(const std::string& id, const std::string& expires) const {
    return auth::to_hex(auth::hmac_sha256(key_, id + "\n" + expires));
}

bool stream_payloads::is_payload_path(const std::string& path) { return path.rfind(prefix, 0) == 0; }

std::string stream_payloads::keep(const std::string& id, const std::string& body, int64_t now_ms) {
    if (!plain_id(id)) throw std::invalid_argument("stream payload id '" + id + "'");
    const int64_t expires = (now_ms + ttl_ms_) / 1000;
    // Two sinks streaming one event keep the same id: the second replaces the first's copy.
    store_.write([&](storage::write_view& v) {
        v.drop_expired_stream_payloads(now_ms / 1000);
        v.keep_stream_payload(id, expires, body);
        return true;
    });
    auto e = std::to_string(expires);
    return base_url_ + std::string(prefix) + id + "?expires=" + e + "&signature=" + signature(id, e);
}

response stream_payloads::serve(const request& req, int64_t now_ms) {
    auto id = req.path.substr(prefix.size());
    auto q = query_params(req.query);
    const auto& expires = q["expires"];
    if (!plain_id(id) || !digits(expires) || !auth::constant_time_equal(q["signature"], signature(id, expires)))
        denied("The stream payload URL's signature does not match");
    const int64_t expires_s = std::stoll(expires);
    if (expires_s * 1000 <= now_ms) denied("The stream payload URL has expired");
    auto body = store_.read([&](storage::read_view& v) { return v.find_stream_payload(id, expires_s); });
    if (!body) throw api_error(error_code::resource_not_found, "The stream payload is no longer kept");
    return response{200, {}, std::move(*body)};
}

void stream_payloads::sweep(int64_t now_ms) {
    store_.write([&](storage::write_view& v) {
        v.drop_expired_stream_payloads(now_ms / 1000);
        return true;
    });
}

}  // namespace cogsync::api
