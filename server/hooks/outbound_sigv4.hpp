#pragma once
// SigV4 signing of the server's own outbound calls (Kinesis PutRecord, Lambda Invoke), built on
// the verifier's canonicalisation (api/auth/canonical.hpp) so both sides agree byte for byte.
#include <cstdint>
#include <string>

#include "server/hooks/http_client.hpp"

namespace cogsync::server {

struct signing_identity {
    std::string access_key;
    std::string secret_key;
    std::string region;
    std::string service;  // "kinesis" | "lambda"
};

// Adds X-Amz-Date, X-Amz-Content-Sha256 and Authorization to `call` (signing host, content-type,
// x-amz-* headers already present). `now_ms` is epoch milliseconds. Host is host_header(url), the
// value the client sends.
void sign_sigv4(http_call& call, const signing_identity& who, int64_t now_ms);

}  // namespace cogsync::server
