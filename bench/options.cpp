#include "bench/options.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace cogsync::bench {
namespace {

// Accepts "http://host:port", "host:port" or "host" (port then comes from --port).
void apply_endpoint(bench_options& o, std::string endpoint) {
    const std::string scheme = "http://";
    if (endpoint.rfind("https://", 0) == 0) {
        throw CLI::ValidationError("--endpoint", "https is not supported; use http://");
    }
    if (endpoint.rfind(scheme, 0) == 0) {
        endpoint.erase(0, scheme.size());
    }
    if (auto slash = endpoint.find('/'); slash != std::string::npos) {
        endpoint.erase(slash);
    }
    if (auto colon = endpoint.rfind(':'); colon != std::string::npos) {
        o.port = endpoint.substr(colon + 1);
        endpoint.erase(colon);
    }
    if (!endpoint.empty()) {
        o.host = endpoint;
    }
}

// --endpoints a,b,c: the first becomes host:port as --endpoint would, the others more_servers,
// each parsed the same way (a missing host or port is the first one's).
void apply_endpoints(bench_options& o, const std::string& list) {
    std::vector<std::string> parts;
    std::string::size_type from = 0;
    for (;;) {
        const auto comma = list.find(',', from);
        parts.push_back(list.substr(from, comma - from));
        if (comma == std::string::npos) break;
        from = comma + 1;
    }
    apply_endpoint(o, parts.front());
    for (std::size_t i = 1; i < parts.size(); ++i) {
        bench_options other = o;
        apply_endpoint(other, parts[i]);
        o.more_servers.emplace_back(other.host, other.port);
    }
}

void validate(const bench_options& o) {
    auto require = [](bool ok, const char* what) {
        if (!ok) {
            throw CLI::ValidationError(what);
        }
    };
    require(o.connections >= 1, "--connections must be >= 1");
    require(o.threads >= 1, "--threads must be >= 1");
    require(o.duration_s > 0, "--duration must be > 0");
    require(o.warmup_s >= 0, "--warmup must be >= 0");
    require(o.identities >= 1, "--identities must be >= 1");
    // 20 live datasets per identity is the service quota (PROTOCOL.md 6.1); one is the hot one.
    require(o.datasets_per_identity >= 1 && o.datasets_per_identity <= 19,
            "--datasets-per-identity must be 1..19");
    require(o.keys_per_dataset >= 1 && o.keys_per_dataset <= 1024, "--keys must be 1..1024");
    require(o.max_patches >= 1, "--max-patches must be >= 1");
    require(o.hot_fraction >= 0 && o.hot_fraction <= 1, "--hot-fraction must be 0..1");
    require(o.hot_datasets >= 0, "--hot-datasets must be >= 0");
    require(o.hot_fraction == 0 || o.hot_datasets > 0, "--hot-fraction > 0 needs --hot-datasets > 0");
    require(o.min_value_bytes >= 0 && o.min_value_bytes <= o.max_value_bytes,
            "value sizes must satisfy 0 <= min <= max");
    require(o.max_attempts >= 1, "--max-attempts must be >= 1");
    require(!o.phases.empty(), "--mode names no phase");
    require(o.trigger_writers >= 1, "--trigger-writers must be >= 1");
    require(o.observer_rate > 0, "--observer-rate must be > 0");
    // Prefetched session tokens must still be valid when the last update uses them (5 minutes).
    const bool updates = std::find(o.phases.begin(), o.phases.end(), phase_kind::update) != o.phases.end();
    require(!updates || o.prefetch_s + o.warmup_s + o.duration_s < 290,
            "--prefetch + --warmup + --duration must be < 290 s");
}

// "sync,health" -> phases; "both" is sync then health.
std::vector<phase_kind> parse_phases(const std::string& text) {
    static const std::map<std::string, phase_kind> names{
        {"sync", phase_kind::sync},         {"health", phase_kind::health},
        {"list", phase_kind::list},         {"update", phase_kind::update},
        {"populate", phase_kind::populate}, {"trigger", phase_kind::trigger}};
    std::vector<phase_kind> phases;
    std::size_t from = 0;
    while (from <= text.size()) {
        const auto comma = std::min(text.find(',', from), text.size());
        const std::string name = text.substr(from, comma - from);
        if (name == "both") {
            phases.insert(phases.end(), {phase_kind::sync, phase_kind::health});
        } else if (auto it = names.find(name); it != names.end()) {
            phases.push_back(it->second);
        } else {
            throw CLI::ValidationError("--mode", "unknown phase '" + name + "'");
        }
        from = comma + 1;
    }
    return phases;
}

}  // namespace

const char* phase_name(phase_kind kind) {
    switch (kind) {
        case phase_kind::sync: return "sync";
        case phase_kind::health: return "health";
        case phase_kind::list: return "list";
        case phase_kind::update: return "update";
        case phase_kind::populate: return "populate";
        case phase_kind::trigger: return "trigger";
    }
    return "?";
}

std::optional<bench_options> parse_options(int argc, char** argv, int& exit_code) {
    bench_options o;
    CLI::App app{"cogsync_bench: load generator for a Cognito Sync server (sync workload vs /health)"};
    std::string endpoint;
    std::string endpoints;
    std::string mode = "both";

    app.add_option("--endpoint", endpoint, "http://HOST:PORT of the server");
    app.add_option("--endpoints", endpoints,
                   "http://HOST:PORT,... of several servers on one store; connections go to them in turn")
        ->excludes("--endpoint");
    app.add_option("--host", o.host, "server host (ignored when --endpoint gives one)");
    app.add_option("--port", o.port, "server port (ignored when --endpoint gives one)");
    app.add_option("-c,--connections", o.connections, "concurrent keep-alive connections")->capture_default_str();
    app.add_option("-t,--threads", o.threads, "client I/O threads")->capture_default_str();
    app.add_option("-d,--duration", o.duration_s, "measured seconds per phase")->capture_default_str();
    app.add_option("--warmup", o.warmup_s, "unmeasured seconds before each phase")->capture_default_str();
    app.add_option("--identities", o.identities, "identities in the pool")->capture_default_str();
    app.add_option("--datasets-per-identity", o.datasets_per_identity, "private datasets per identity")->capture_default_str();
    app.add_option("--keys", o.keys_per_dataset, "distinct record keys per dataset")->capture_default_str();
    app.add_option("--hot-datasets", o.hot_datasets, "datasets shared by all clients")->capture_default_str();
    app.add_option("--hot-fraction", o.hot_fraction, "share of sync cycles on a hot dataset")->capture_default_str();
    app.add_option("--max-patches", o.max_patches, "patches per UpdateRecords (1..N)")->capture_default_str();
    app.add_option("--min-value", o.min_value_bytes, "smallest record value, bytes")->capture_default_str();
    app.add_option("--max-value", o.max_value_bytes, "largest record value, bytes")->capture_default_str();
    app.add_option("--max-attempts", o.max_attempts, "list+update attempts per sync cycle")->capture_default_str();
    app.add_option("--mode", mode,
                   "phases in order, comma-separated: sync, health, list, update, populate, trigger "
                   "(both = sync,health)")
        ->capture_default_str();
    app.add_flag("--populated", o.populated,
                 "the private datasets hold what --mode populate wrote (sync count 1), so delta "
                 "lists start from there");
    app.add_option("--prefetch", o.prefetch_s,
                   "update phase: seconds of ListRecords collecting tokens (default warm-up + duration)");
    app.add_option("--trigger-writers", o.trigger_writers,
                   "trigger phase: concurrent UpdateRecords of the trigger identity")->capture_default_str();
    app.add_option("--trigger-arn", o.trigger_arn, "trigger phase: the pool's SyncTrigger")->capture_default_str();
    app.add_option("--observer-rate", o.observer_rate,
                   "trigger phase: requests/s per measured connection, timed from when each was due")
        ->capture_default_str();
    app.add_option("--seed", o.seed, "random seed")->capture_default_str();
    app.add_option("--pool", o.pool_id, "identity pool id")->capture_default_str();
    app.add_option("--label", o.label, "free text copied into the report");
    app.add_flag("--json", o.json, "print the report as JSON");

    try {
        app.parse(argc, argv);
        o.phases = parse_phases(mode);
        if (o.prefetch_s < 0) {
            o.prefetch_s = o.warmup_s + o.duration_s;
        }
        if (!endpoint.empty()) {
            apply_endpoint(o, endpoint);
        }
        if (!endpoints.empty()) {
            apply_endpoints(o, endpoints);
        }
        validate(o);
    } catch (const CLI::ParseError& e) {
        exit_code = app.exit(e);
        return std::nullopt;
    }
    return o;
}

}  // namespace cogsync::bench
