#include "server/hooks/webhook_push.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "api/json_codec.hpp"

namespace cogsync::server {

void post_event(const http_url& url, std::chrono::milliseconds timeout, const std::string& event_id,
                const std::string& body) {
    http_call call;
    call.url = url;
    call.timeout = timeout;
    call.headers = {{"Content-Type", "application/json"}, {"X-Cogsync-Event-Id", event_id}};
    call.body = body;
    check_delivered(send_http(call).status, url.host + ":" + url.port + url.target);
}

webhook_push::webhook_push(const config::hook_section& h)
    : url_(parse_http_url(h.get("url"), h.get("ca_file"))), timeout_(h.timeout_ms) {}

void webhook_push::send(const push_message& m) {
    rapidjson::StringBuffer buf;
    api::json_writer w(buf);
    w.StartObject();
    api::write_string_member(w, "eventId", m.event_id);
    api::write_string_member(w, "platform", m.platform);
    api::write_string_member(w, "token", m.token);
    api::write_string_member(w, "deviceId", m.device_id);
    w.Key("payload");
    w.RawValue(m.payload.data(), m.payload.size(), rapidjson::kObjectType);
    w.EndObject();
    post_event(url_, timeout_, m.event_id, buf.GetString());
}

}  // namespace cogsync::server
