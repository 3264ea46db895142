#include "bench/report.hpp"

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace cogsync::bench {
namespace {

const char* const op_order[] = {op_list_records, op_update_records, op_sync_cycle, op_health,
                                op_trigger_list, op_trigger_update};

double ms(std::uint64_t micros) { return double(micros) / 1000.0; }

double rate(const phase_result& p, const char* op) {
    auto it = p.stats.ops_.find(op);
    return it == p.stats.ops_.end() ? 0.0 : double(it->second.completed()) / p.measured_s;
}

// Each phase's ListRecords + UpdateRecords requests/s (and the sync phase's cycles/s) divided by
// the health phase's requests/s: the share of the bare HTTP ceiling a real request keeps.
struct ratio {
    std::string name;
    double value = 0;
};

std::vector<ratio> compute_ratios(const std::vector<phase_result>& phases) {
    std::vector<ratio> out;
    auto health = std::find_if(phases.begin(), phases.end(), [](const auto& p) { return p.name == "health"; });
    if (health == phases.end() || rate(*health, op_health) <= 0) {
        return out;
    }
    const double base = rate(*health, op_health);
    for (const auto& p : phases) {
        if (p.name == "sync" || p.name == "list" || p.name == "update") {
            out.push_back({p.name + "_requests_per_health_request",
                           (rate(p, op_list_records) + rate(p, op_update_records)) / base});
        }
        if (p.name == "sync") {
            out.push_back({"sync_cycles_per_health_request", rate(p, op_sync_cycle) / base});
        }
    }
    return out;
}

// "per second: min A / median B / max C requests; worst max latency M ms in second S".
std::string timeline_summary(const phase_stats& stats) {
    std::vector<std::uint64_t> sorted = stats.requests_per_second_;
    if (sorted.empty()) {
        return "per second: no requests";
    }
    std::sort(sorted.begin(), sorted.end());
    const auto& max_us = stats.max_micros_per_second_;
    const auto worst = std::size_t(std::max_element(max_us.begin(), max_us.end()) - max_us.begin());
    char line[200];
    std::snprintf(line, sizeof line,
                  "per second: min %llu / median %llu / max %llu requests; slowest request %.1f ms in second %zu",
                  (unsigned long long)sorted.front(), (unsigned long long)sorted[sorted.size() / 2],
                  (unsigned long long)sorted.back(), ms(max_us[worst]), worst + 1);
    return line;
}

std::string status_name(int status) {
    if (status == 0) {
        return "no-answer";
    }
    if (status == status_bad_body) {
        return "bad-body";
    }
    return std::to_string(status);
}

}  // namespace

void print_text_report(std::ostream& out, const bench_options& o, const std::vector<phase_result>& phases) {
    char line[256];
    out << "cogsync_bench  endpoint http://" << o.host << ":" << o.port << "  connections " << o.connections
        << "  threads " << o.threads << "  duration " << o.duration_s << " s  warmup " << o.warmup_s << " s";
    if (!o.label.empty()) {
        out << "  [" << o.label << "]";
    }
    out << "\nworkload: " << o.identities << " identities x " << o.datasets_per_identity << " datasets, "
        << o.keys_per_dataset << " keys, " << o.hot_datasets << " hot datasets, hot fraction "
        << o.hot_fraction << ", 1-" << o.max_patches << " patches, values " << o.min_value_bytes << "-"
        << o.max_value_bytes << " B, seed " << o.seed << "\n";
    for (const auto& p : phases) {
        out << "\nphase " << p.name << " (" << p.measured_s << " s measured, " << p.stats.reconnects_
            << " reconnects)\n" << timeline_summary(p.stats) << "\n";
        std::snprintf(line, sizeof line, "%-14s %9s %10s %8s %8s %8s %8s %9s %7s\n", "op", "count", "req/s",
                      "p50 ms", "p90 ms", "p99 ms", "max ms", "conflicts", "errors");
        out << line;
        for (const char* name : op_order) {
            auto it = p.stats.ops_.find(name);
            if (it == p.stats.ops_.end()) {
                continue;
            }
            const op_stats& s = it->second;
            const auto& h = s.latency_;
            std::snprintf(line, sizeof line, "%-14s %9llu %10.1f %8.2f %8.2f %8.2f %8.2f %9llu %7llu\n", name,
                          (unsigned long long)s.completed(), rate(p, name), ms(h.percentile(0.5)),
                          ms(h.percentile(0.9)), ms(h.percentile(0.99)), ms(h.max()),
                          (unsigned long long)s.conflicts_, (unsigned long long)s.errors());
            out << line;
            for (const auto& [status, n] : s.errors_by_status_) {
                out << "    " << name << " errors with status " << status_name(status) << ": " << n << "\n";
            }
        }
    }
    const auto ratios = compute_ratios(phases);
    if (!ratios.empty()) {
        out << "\nratios to health req/s:";
        for (const auto& r : ratios) {
            std::snprintf(line, sizeof line, "  %s = %.3f", r.name.c_str(), r.value);
            out << line;
        }
        out << "\n";
    }
}

void print_json_report(std::ostream& out, const bench_options& o, const std::vector<phase_result>& phases) {
    rapidjson::OStreamWrapper stream(out);
    rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w(stream);
    w.StartObject();
    w.Key("label"); w.String(o.label.c_str());
    w.Key("config");
    w.StartObject();
    w.Key("endpoint"); w.String(("http://" + o.host + ":" + o.port).c_str());
    w.Key("connections"); w.Int(o.connections);
    w.Key("threads"); w.Int(o.threads);
    w.Key("duration_s"); w.Double(o.duration_s);
    w.Key("warmup_s"); w.Double(o.warmup_s);
    w.Key("identities"); w.Int(o.identities);
    w.Key("datasets_per_identity"); w.Int(o.datasets_per_identity);
    w.Key("keys_per_dataset"); w.Int(o.keys_per_dataset);
    w.Key("hot_datasets"); w.Int(o.hot_datasets);
    w.Key("hot_fraction"); w.Double(o.hot_fraction);
    w.Key("max_patches"); w.Int(o.max_patches);
    w.Key("seed"); w.Uint64(o.seed);
    w.Key("populated"); w.Bool(o.populated);
    w.Key("prefetch_s"); w.Double(o.prefetch_s);
    w.Key("trigger_writers"); w.Int(o.trigger_writers);
    w.Key("observer_rate"); w.Double(o.observer_rate);
    w.EndObject();
    w.Key("phases");
    w.StartObject();
    for (const auto& p : phases) {
        w.Key(p.name.c_str());
        w.StartObject();
        w.Key("measured_s"); w.Double(p.measured_s);
        w.Key("reconnects"); w.Uint64(p.stats.reconnects_);
        w.Key("requests_per_second");
        w.StartArray();
        for (auto n : p.stats.requests_per_second_) {
            w.Uint64(n);
        }
        w.EndArray();
        w.Key("max_ms_per_second");
        w.StartArray();
        for (auto us : p.stats.max_micros_per_second_) {
            w.Double(ms(us));
        }
        w.EndArray();
        w.Key("ops");
        w.StartObject();
        for (const auto& [name, s] : p.stats.ops_) {
            const auto& h = s.latency_;
            w.Key(name.c_str());
            w.StartObject();
            w.Key("count"); w.Uint64(s.completed());
            w.Key("ok"); w.Uint64(s.ok_);
            w.Key("rps"); w.Double(rate(p, name.c_str()));
            w.Key("mean_ms"); w.Double(h.mean() / 1000.0);
            w.Key("p50_ms"); w.Double(ms(h.percentile(0.5)));
            w.Key("p90_ms"); w.Double(ms(h.percentile(0.9)));
            w.Key("p99_ms"); w.Double(ms(h.percentile(0.99)));
            w.Key("max_ms"); w.Double(ms(h.max()));
            w.Key("conflicts"); w.Uint64(s.conflicts_);
            w.Key("errors"); w.Uint64(s.errors());
            w.Key("errors_by_status");
            w.StartObject();
            for (const auto& [status, n] : s.errors_by_status_) {
                w.Key(status_name(status).c_str());
                w.Uint64(n);
            }
            w.EndObject();
            w.EndObject();
        }
        w.EndObject();
        w.EndObject();
    }
    w.EndObject();
    const auto ratios = compute_ratios(phases);
    if (!ratios.empty()) {
        w.Key("ratios");
        w.StartObject();
        for (const auto& r : ratios) {
            w.Key(r.name.c_str());
            w.Double(r.value);
        }
        w.EndObject();
    }
    w.EndObject();
    out << "\n";
}

}  // namespace cogsync::bench
