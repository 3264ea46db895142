#include "server/metrics_samples.hpp"

#include <map>
#include <string>

namespace cogsync::server {

std::vector<storage::metric_sample> server_samples(const connection_registry& connections,
                                                   const outbox_deliverer& outbox, storage::record_store& store) {
    std::vector<storage::metric_sample> out{
        {"cogsync_open_connections", "gauge", "Client connections open.", "", {}, static_cast<double>(connections.count())},
        {"cogsync_buffered_bytes", "gauge", "Request bytes taken from the buffering budget (--max-buffered-bytes).", "",
         {}, static_cast<double>(connections.buffered())},
    };
    const auto sinks = outbox.sinks();
    std::vector<int64_t> backlog;
    std::map<std::string, int64_t> dead;
    store.read([&](storage::read_view& v) {
        for (const auto& s : sinks) backlog.push_back(v.outbox_backlog(v.sink_cursor(s.name)));
        for (const auto& c : v.dead_letter_counts()) dead[c.sink] = c.dead;
        return true;
    });
    for (std::size_t i = 0; i < sinks.size(); ++i)
        out.push_back({"cogsync_outbox_backlog", "gauge", "Outbox events a sink has yet to deliver.", "",
                       {{"sink", sinks[i].name}}, static_cast<double>(backlog[i])});
    for (const auto& s : sinks)
        out.push_back({"cogsync_dead_letters", "gauge", "Dead letters a sink holds (cogsync dead-letters list).", "",
                       {{"sink", s.name}}, static_cast<double>(dead[s.name])});
    for (const auto& s : sinks)
        out.push_back({"cogsync_sink_lease_held", "gauge",
                       "1 while this node holds the sink's delivery lease (delivers it), else 0.", "",
                       {{"sink", s.name}}, s.leased ? 1.0 : 0.0});
    for (const auto& s : sinks)
        out.push_back({"cogsync_sink_delivery_failures_total", "counter", "Failed delivery attempts of a sink.", "",
                       {{"sink", s.name}}, static_cast<double>(s.failures)});
    return out;
}

}  // namespace cogsync::server
