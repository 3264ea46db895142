#pragma once
// Stream transport "kinesis": Kinesis_20131202.PutRecord (application/x-amz-json-1.1) to
// `endpoint`, SigV4-signed with service "kinesis": {"StreamName","Data":<base64 record>,
// "PartitionKey":<identity id>}. Any non-2xx reply is a failure (retried).
#include "config/hooks_config.hpp"
#include "server/hooks/http_client.hpp"
#include "server/hooks/outbound_sigv4.hpp"
#include "server/hooks/sink.hpp"

namespace cogsync::server {

class kinesis_stream : public stream_transport {
public:
    explicit kinesis_stream(const config::hook_section& h);
    void put(const stream_put& r) override;

private:
    http_url url_;
    signing_identity who_;
    std::chrono::milliseconds timeout_;
};


}  // namespace cogsync::server
