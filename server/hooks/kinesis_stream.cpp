#include "server/hooks/kinesis_stream.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>

#include "api/base64url.hpp"
#include "api/json_codec.hpp"

namespace cogsync::server {

kinesis_stream::kinesis_stream(const config::hook_section& h)
    : url_(parse_http_url(h.get("endpoint"), h.get("ca_file"))),
      who_{h.get("access_key"), h.get("secret_key"), h.get("region"), "kinesis"},
      timeout_(h.timeout_ms) {}

void kinesis_stream::put(const stream_put& r) {
    rapidjson::StringBuffer buf;
    api::json_writer w(buf);
    w.StartObject();
    api::write_string_member(w, "StreamName", r.stream);
    api::write_string_member(w, "Data", api::base64_encode(r.data));
    api::write_string_member(w, "PartitionKey", r.partition_key);
    w.EndObject();
    http_call call;
    call.url = url_;
    call.url.target = "/";
    call.timeout = timeout_;
    call.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "Kinesis_20131202.PutRecord"}};
    call.body = buf.GetString();
    using namespace std::chrono;
    sign_sigv4(call, who_, duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
    auto reply = send_http(call);
    if (reply.status < 200 || reply.status > 299)
        throw std::runtime_error("Kinesis PutRecord to stream '" + r.stream + "': HTTP " + std::to_string(reply.status) +
                                 " " + reply.body.substr(0, 300));
}

}  // namespace cogsync::server
