#include "api/stream_payloads.hpp"

#include <filesystem>
#include <fstream>
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

stream_payloads::stream_payloads(std::string dir, std::string key, int64_t ttl_ms)
    : dir_(std::move(dir)), key_(std::move(key)), ttl_ms_(ttl_ms) {
    std::filesystem::create_directories(dir_);
}

std::string stream_payloads::signature(const std::string& id, const std::string& expires) const {
    return auth::to_hex(auth::hmac_sha256(key_, id + "\n" + expires));
}

std::string stream_payloads::file_of(const std::string& id, const std::string& expires) const {
    return (std::filesystem::path(dir_) / (id + "." + expires + ".json")).string();
}

bool stream_payloads::is_payload_path(const std::string& path) { return path.rfind(prefix, 0) == 0; }

std::string stream_payloads::keep(const std::string& id, const std::string& body, int64_t now_ms) {
    if (!plain_id(id)) throw std::invalid_argument("stream payload id '" + id + "'");
    // One keep at a time: two sinks streaming one event keep the same id.
    std::lock_guard lock(mu_);
    sweep_locked(now_ms);
    auto expires = std::to_string((now_ms + ttl_ms_) / 1000);
    auto path = file_of(id, expires);
    {
        std::ofstream out(path + ".tmp", std::ios::binary | std::ios::trunc);
        out.write(body.data(), static_cast<std::streamsize>(body.size()));
        if (!out.flush()) throw std::runtime_error("cannot write " + path);
    }
    std::filesystem::rename(path + ".tmp", path);
    return base_url_ + std::string(prefix) + id + "?expires=" + expires + "&signature=" + signature(id, expires);
}

response stream_payloads::serve(const request& req, int64_t now_ms) {
    auto id = req.path.substr(prefix.size());
    auto q = query_params(req.query);
    const auto& expires = q["expires"];
    if (!plain_id(id) || !digits(expires) || !auth::constant_time_equal(q["signature"], signature(id, expires)))
        denied("The stream payload URL's signature does not match");
    // Only a signed request pays for the directory scan: an unsigned flood never reaches it.
    sweep(now_ms);
    if (std::stoll(expires) * 1000 <= now_ms) denied("The stream payload URL has expired");
    std::ifstream in(file_of(id, expires), std::ios::binary);
    if (!in) throw api_error(error_code::resource_not_found, "The stream payload is no longer kept");
    std::ostringstream body;
    body << in.rdbuf();
    return response{200, {}, body.str()};
}

void stream_payloads::sweep(int64_t now_ms) {
    std::lock_guard lock(mu_);
    sweep_locked(now_ms);
}

void stream_payloads::sweep_locked(int64_t now_ms) {
    std::error_code ec;
    for (const auto& f : std::filesystem::directory_iterator(dir_, ec)) {
        auto name = f.path().filename().string();  // <id>.<expires>.json[.tmp]
        auto last = name.rfind(".json");
        auto dot = name.rfind('.', last == std::string::npos ? 0 : last - 1);
        if (last == std::string::npos || dot == std::string::npos) continue;
        auto expires = name.substr(dot + 1, last - dot - 1);
        if (digits(expires) && std::stoll(expires) * 1000 <= now_ms) std::filesystem::remove(f.path(), ec);
    }
}

}  // namespace cogsync::api
