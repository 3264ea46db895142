#pragma once
// Stream records beyond Kinesis's 1 MiB (PROTOCOL.md 7.4): AWS puts the records in S3 and sends
// `payloadType: "S3Url"` with a presigned URL. Here the payload is kept in the store (so that on a
// shared store every node serves the URL any node handed out) and served at
// `GET /streams/payload/<id>?expires=<epoch s>&signature=<hex HMAC-SHA256(key, id \n expires)>`,
// answered before SigV4 since the signature is the authorization: a wrong signature or a past
// `expires` is 403, a payload no longer kept 404. Expired payloads are deleted by the sweep each
// keep() runs in its own write, and at startup.
#include <cstdint>
#include <string>

#include "api/request.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api {

inline constexpr std::size_t kinesis_record_limit = 1u << 20;  // data + partition key, bytes

class stream_payloads {
public:
    stream_payloads(storage::record_store& store, std::string key, int64_t ttl_ms);
    // The URL's scheme, host and port, e.g. "http://127.0.0.1:8080"; set before any keep().
    void set_base_url(std::string base) { base_url_ = std::move(base); }
    // Keeps `body` under `id` (letters, digits, '-', '_') for the TTL and returns its signed URL.
    // Blocks until the store has committed it: call it from a delivery thread, not an I/O thread.
    std::string keep(const std::string& id, const std::string& body, int64_t now_ms);
    // Whether `path` is one of the payload URLs (GET /streams/payload/...).
    static bool is_payload_path(const std::string& path);
    response serve(const request& req, int64_t now_ms);
    void sweep(int64_t now_ms);

private:
    std::string signature(const std::string& id, const std::string& expires) const;

    storage::record_store& store_;
    std::string key_, base_url_;
    int64_t ttl_ms_;
};

}  // namespace cogsync::api
