#pragma once
// Stream records beyond Kinesis's 1 MiB (PROTOCOL.md 7.4): AWS puts the records in S3 and sends
// `payloadType: "S3Url"` with a presigned URL. Here the payload is kept as a file
// `<dir>/<id>.<expires>.json` and served by this server at
// `GET /streams/payload/<id>?expires=<epoch s>&signature=<hex HMAC-SHA256(key, id \n expires)>`,
// answered before SigV4 since the signature is the authorization: a wrong signature or a past
// `expires` is 403, a payload no longer kept 404. Files are deleted once expired, by the sweep
// each keep() and each correctly signed serve runs, and at startup.
#include <cstdint>
#include <mutex>
#include <string>

#include "api/request.hpp"

namespace cogsync::api {

inline constexpr std::size_t kinesis_record_limit = 1u << 20;  // data + partition key, bytes

class stream_payloads {
public:
    stream_payloads(std::string dir, std::string key, int64_t ttl_ms);
    // The URL's scheme, host and port, e.g. "http://127.0.0.1:8080"; set before any keep().
    void set_base_url(std::string base) { base_url_ = std::move(base); }
    // Keeps `body` under `id` (letters, digits, '-', '_') for the TTL and returns its signed URL.
    std::string keep(const std::string& id, const std::string& body, int64_t now_ms);
    // Whether `path` is one of the payload URLs (GET /streams/payload/...).
    static bool is_payload_path(const std::string& path);
    response serve(const request& req, int64_t now_ms);
    void sweep(int64_t now_ms);

private:
    std::string signature(const std::string& id, const std::string& expires) const;
    std::string file_of(const std::string& id, const std::string& expires) const;
    void sweep_locked(int64_t now_ms);

    std::string dir_, key_, base_url_;
    int64_t ttl_ms_;
    std::mutex mu_;  // keep() and sweeps
};

}  // namespace cogsync::api
