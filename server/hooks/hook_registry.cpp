#include "server/hooks/hook_registry.hpp"

#include <filesystem>
#include <functional>
#include <stdexcept>

#include "server/hooks/bulk_status_sink.hpp"
#include "server/hooks/file_stream.hpp"
#include "server/hooks/kinesis_stream.hpp"
#include "server/hooks/lambda_trigger.hpp"
#include "server/hooks/log_push.hpp"
#include "server/hooks/push_sink.hpp"
#include "server/hooks/stream_directory.hpp"
#include "server/hooks/stream_sink.hpp"
#include "server/tls_context.hpp"
#include "server/hooks/webhook_push.hpp"
#include "server/hooks/webhook_stream.hpp"
#include "server/hooks/webhook_trigger.hpp"

namespace cogsync::server {

namespace {

using role = config::hook_role;
using factory = std::function<std::unique_ptr<sink>(const config::hook_section&)>;
using trigger_factory = std::function<std::unique_ptr<api::sync_trigger_invoker>(const config::hook_section&)>;

template <class T>
std::unique_ptr<sink> push_of(const config::hook_section& h) {
    return std::make_unique<push_sink>(h.serves, std::make_unique<T>(h));
}

template <class T>
std::unique_ptr<sink> stream_of(const config::hook_section& h) {
    return std::make_unique<stream_sink>(h.serves, std::make_unique<T>(h));
}

template <class T>
std::unique_ptr<api::sync_trigger_invoker> trigger_of(const config::hook_section& h) {
    return std::make_unique<T>(h);
}

const std::vector<std::string> aws_settings = {"endpoint", "region", "access_key", "secret_key"};
// Every HTTP-based type: an extra trusted CA for an https url/endpoint.
const std::vector<std::string> http_optional = {"ca_file"};

struct sink_type {
    role r;
    std::string type;
    std::vector<std::string> required, optional;
    factory make;
};

// The sink registry: one row per (role, type).
const std::vector<sink_type> sink_types = {
    {role::push_sink, "webhook", {"url"}, http_optional, push_of<webhook_push>},
    {role::push_sink, "log", {}, {}, push_of<log_push>},
    {role::stream_sink, "kinesis", aws_settings, http_optional, stream_of<kinesis_stream>},
    {role::stream_sink, "file", {"path"}, {"fsync"}, stream_of<file_stream>},
    {role::stream_sink, "directory", {"dir"}, {"fsync"}, stream_of<stream_directory>},
    {role::stream_sink, "webhook", {"url"}, http_optional, stream_of<webhook_stream>},
};

struct trigger_type {
    std::string type;
    std::vector<std::string> required, optional;
    trigger_factory make;
};

// The Sync Trigger registry.
const std::vector<trigger_type> trigger_types = {
    {"webhook", {"url"}, http_optional, trigger_of<webhook_trigger>},
    {"lambda", aws_settings, http_optional, trigger_of<lambda_trigger>},
};

std::string label(const config::hook_section& h) {
    return (h.role == role::trigger ? "[trigger." : "[sink.") + h.name + "]";
}

// Every required setting present, nothing else.
void check_settings(const config::hook_section& h, const std::vector<std::string>& required,
                    const std::vector<std::string>& optional, const std::string& where) {
    for (const auto& r : required)
        if (h.get(r).empty()) throw std::runtime_error(where + label(h) + " type " + h.type + " needs '" + r + "'");
    for (const auto& [k, v] : h.settings) {
        bool known = std::find(required.begin(), required.end(), k) != required.end() ||
                     std::find(optional.begin(), optional.end(), k) != optional.end();
        if (!known) throw std::runtime_error(where + label(h) + " type " + h.type + " does not take '" + k + "'");
    }
}

// Builds one section, so that a bad URL or an unreadable ca_file stops startup with the location.
template <class Make>
auto make_located(const Make& make, const config::hook_section& h, const std::string& where) {
    try {
        auto out = make(h);
        if (!h.get("ca_file").empty()) client_tls_context(h.get("ca_file"));
        return out;
    } catch (const std::exception& e) {
        throw std::runtime_error(where + label(h) + " " + e.what());
    }
}

std::string type_names(role r) {
    std::string out;
    for (const auto& t : sink_types)
        if (t.r == r) out += (out.empty() ? "" : ", ") + t.type;
    return out;
}

}  // namespace

built_hooks build_hooks(const config::hooks_config& c, const std::string& file_name, api::stream_payloads* payloads) {
    built_hooks out;
    std::vector<stream_sink*> streams;
    for (const auto& h : c.sinks) {
        auto where = file_name + ":" + std::to_string(h.line) + ": ";
        auto t = std::find_if(sink_types.begin(), sink_types.end(),
                              [&](const sink_type& t) { return t.r == h.role && t.type == h.type; });
        if (t == sink_types.end())
            throw std::runtime_error(where + label(h) + " unknown " +
                                     (h.role == role::push_sink ? "push sink type '" + h.type + "' (" + type_names(role::push_sink)
                                                                : "stream sink type '" + h.type + "' (" + type_names(role::stream_sink)) +
                                     ")");
        check_settings(h, t->required, t->optional, where);
        auto s = make_located(t->make, h, where);
        if (auto* ss = dynamic_cast<stream_sink*>(s.get())) {
            ss->set_payloads(payloads);
            streams.push_back(ss);
            out.stream_names.push_back(h.serves);
        }
        out.sinks.emplace_back("sink." + h.name, std::move(s));
        ++out.change_consumers;
    }
    for (auto* s : streams)
        s->set_bulk_owner([s, streams](const std::string& stream) {
            storage::pool_config probe;
            probe.cognito_streams = storage::cognito_streams_config{stream, "", "ENABLED"};
            for (auto* other : streams)
                if (other->serves(probe)) return other == s;
            return false;
        });
    out.sinks.emplace_back("internal.bulk-status",
                           std::make_unique<bulk_status_sink>(std::vector<const stream_sink*>(streams.begin(), streams.end())));
    out.triggers = std::make_unique<trigger_router>();
    for (const auto& h : c.triggers) {
        auto where = file_name + ":" + std::to_string(h.line) + ": ";
        auto t = std::find_if(trigger_types.begin(), trigger_types.end(),
                              [&](const trigger_type& t) { return t.type == h.type; });
        if (t == trigger_types.end())
            throw std::runtime_error(where + label(h) + " unknown trigger type '" + h.type + "' (webhook, lambda)");
        check_settings(h, t->required, t->optional, where);
        out.triggers->add(h.serves, h.name, make_located(t->make, h, where));
    }
    return out;
}

config::hooks_config default_hooks(const std::string& data_dir) {
    config::hook_section streams;
    streams.role = role::stream_sink;
    streams.name = "streams";
    streams.type = "directory";
    streams.serves.all = true;
    streams.settings["dir"] = (std::filesystem::path(data_dir) / "streams").string();
    config::hooks_config c;
    c.sinks.push_back(std::move(streams));
    return c;
}

bool built_hooks::serves_stream(const std::string& stream) const {
    for (const auto& f : stream_names)
        if (f.matches(stream)) return true;
    return false;
}

}  // namespace cogsync::server
