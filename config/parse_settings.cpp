#include "config/parse_settings.hpp"

#include "config/config_commands.hpp"
#include "config/config_file.hpp"
#include "config/credentials.hpp"
#include "config/public_urls.hpp"
#include "config/store_url.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

namespace cogsync::config {

std::optional<std::pair<std::string, uint16_t>> split_host_port(const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
    std::string host = text.substr(0, colon);
    if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    std::string port = text.substr(colon + 1);
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    unsigned long value = std::stoul(port);
    if (value > 65535 || host.empty()) return std::nullopt;
    return std::make_pair(host, static_cast<uint16_t>(value));
}

// The check of every --store option; empty is the SQLite store (and what `config show` prints).
static std::string store_problem(const std::string& v) {
    return v.empty() || is_postgres_url(v) ? "" : "expected a postgres://user:password@host:port/database URL";
}

void add_store_option(CLI::App& app, std::string& store) {
    app.add_option("--store", store, "A postgres:// URL: that database instead of the SQLite one in --data-dir")
        ->envname("COGSYNC_STORE")->check(store_problem);
}

void add_limit_options(CLI::App& app, settings& s) {
    app.add_option("--max-datasets", s.max_datasets, "Live datasets per identity")
        ->envname("COGSYNC_MAX_DATASETS")->check(CLI::Range(int64_t{1}, int64_t{1} << 30))->capture_default_str();
    app.add_option("--max-records", s.max_records, "Live records per dataset")
        ->envname("COGSYNC_MAX_RECORDS")->check(CLI::Range(int64_t{1}, int64_t{1} << 30))->capture_default_str();
    app.add_option("--max-dataset-bytes", s.max_dataset_bytes, "UTF-8 bytes of keys and values per dataset")
        ->envname("COGSYNC_MAX_DATASET_BYTES")->check(CLI::Range(int64_t{1}, int64_t{1} << 40))->capture_default_str();
    app.add_option("--max-devices", s.max_devices, "Push devices registered per identity")
        ->envname("COGSYNC_MAX_DEVICES")->check(CLI::Range(int64_t{1}, int64_t{1} << 20))->capture_default_str();
    app.add_option("--max-subscriptions", s.max_subscriptions, "Devices subscribed per dataset")
        ->envname("COGSYNC_MAX_SUBSCRIPTIONS")->check(CLI::Range(int64_t{1}, int64_t{1} << 20))->capture_default_str();
}

void add_identity_rate_options(CLI::App& app, settings& s) {
    const struct {
        const char* flag;
        const char* env;
        double& value;
        const char* help;
    } options[] = {
        {"--get-id-rate-limit", "COGSYNC_GET_ID_RATE_LIMIT", s.get_id_rate_limit, "GetId requests per second per pool; 0 = off"},
        {"--get-id-rate-limit-burst", "COGSYNC_GET_ID_RATE_LIMIT_BURST", s.get_id_rate_limit_burst, "Burst of --get-id-rate-limit"},
        {"--get-id-address-rate-limit", "COGSYNC_GET_ID_ADDRESS_RATE_LIMIT", s.get_id_address_rate_limit,
         "GetId requests per second per client address; 0 = off"},
        {"--get-id-address-rate-limit-burst", "COGSYNC_GET_ID_ADDRESS_RATE_LIMIT_BURST", s.get_id_address_rate_limit_burst,
         "Burst of --get-id-address-rate-limit"},
        {"--credentials-rate-limit", "COGSYNC_CREDENTIALS_RATE_LIMIT", s.credentials_rate_limit,
         "GetCredentialsForIdentity and GetOpenIdToken requests per second per identity; 0 = off"},
        {"--credentials-rate-limit-burst", "COGSYNC_CREDENTIALS_RATE_LIMIT_BURST", s.credentials_rate_limit_burst,
         "Burst of --credentials-rate-limit"},
    };
    for (const auto& o : options)
        app.add_option(o.flag, o.value, o.help)->envname(o.env)->check(CLI::Range(0.0, 1e9))->capture_default_str();
}

void add_serve_options(CLI::App& serve, settings& s, std::string& listen) {
    serve.add_option("--config", "TOML file of these settings, below COGSYNC_* variables and flags (see README)")
        ->envname("COGSYNC_CONFIG");
    serve.add_option("--listen", listen, "Address to listen on, HOST:PORT (port 0 = any free port)")
        ->envname("COGSYNC_LISTEN")->capture_default_str()
        ->check([](const std::string& v) { return split_host_port(v) ? "" : "expected HOST:PORT, got '" + v + "'"; });
    serve.add_option("--data-dir", s.data_dir, "Directory holding the SQLite database")
        ->envname("COGSYNC_DATA_DIR")->capture_default_str();
    serve.add_option("--store", s.store,
                     "Where the data lives: empty for the SQLite database in --data-dir, or a "
                     "postgres://user:password@host:port/database URL shared by every node")
        ->envname("COGSYNC_STORE")
        ->check(store_problem);
    serve.add_option("--io-threads", s.io_threads, "HTTP I/O threads")
        ->envname("COGSYNC_IO_THREADS")->check(CLI::Range(1, 256))->capture_default_str();
    serve.add_option("--workers", s.workers, "Ignored: kept so that existing command lines still start")
        ->envname("COGSYNC_WORKERS")->check(CLI::Range(0, 1024));
    serve.add_option("--outbound-threads", s.outbound_threads, "Threads that wait on Sync Trigger calls")
        ->envname("COGSYNC_OUTBOUND_THREADS")->check(CLI::Range(1, 1024))->capture_default_str();
    serve.add_option("--trigger-concurrency", s.trigger_concurrency,
                     "Sync Trigger calls in flight per identity pool; more wait their turn")
        ->envname("COGSYNC_TRIGGER_CONCURRENCY")->check(CLI::Range(1, 1024))->capture_default_str();
    serve.add_option("--shutdown-grace-ms", s.shutdown_grace_ms,
                     "On SIGTERM/SIGINT, time allowed to answer the requests already read")
        ->envname("COGSYNC_SHUTDOWN_GRACE_MS")->check(CLI::Range(0, 3600000))->capture_default_str();
    serve.add_option("--max-buffered-bytes", s.max_buffered_bytes,
                     "Request bytes held at once over all connections; beyond it 503 ServiceUnavailable")
        ->envname("COGSYNC_MAX_BUFFERED_BYTES")->check(CLI::Range(1ul << 20, 1ul << 40))->capture_default_str();
    serve.add_option("--durability", s.durability,
                     "full: every acknowledged write survives power loss (synchronous=FULL); "
                     "normal: survives a crash of the process, not of the machine")
        ->envname("COGSYNC_DURABILITY")->check(CLI::IsMember({"full", "normal"}))->capture_default_str();
    serve.add_option("--max-body-bytes", s.max_body_bytes, "Largest request body accepted (413 above)")
        ->envname("COGSYNC_MAX_BODY_BYTES")->check(CLI::Range(1024ul, 1ul << 30))->capture_default_str();
    serve.add_option("--max-header-bytes", s.max_header_bytes, "Largest request line + headers accepted")
        ->envname("COGSYNC_MAX_HEADER_BYTES")->check(CLI::Range(1024ul, 1ul << 20))->capture_default_str();
    serve.add_option("--max-header-count", s.max_header_count, "Most request header fields accepted")
        ->envname("COGSYNC_MAX_HEADER_COUNT")->check(CLI::Range(8ul, 10000ul))->capture_default_str();
    serve.add_option("--read-timeout-ms", s.read_timeout_ms, "Time allowed to receive one whole request")
        ->envname("COGSYNC_READ_TIMEOUT_MS")->check(CLI::Range(100, 3600000))->capture_default_str();
    serve.add_option("--idle-timeout-ms", s.idle_timeout_ms, "Keep-alive connection idle limit")
        ->envname("COGSYNC_IDLE_TIMEOUT_MS")->check(CLI::Range(100, 3600000))->capture_default_str();
    serve.add_option("--max-connections", s.max_connections, "Concurrent connections; more are closed at once")
        ->envname("COGSYNC_MAX_CONNECTIONS")->check(CLI::Range(1ul, 1000000ul))->capture_default_str();
    serve.add_option("--region", s.region, "Region name this server stands for (the Sync Trigger event's region)")
        ->envname("COGSYNC_REGION")
        ->check(CLI::Validator(
            [](std::string& r) {
                bool ok = !r.empty() && r.size() <= 32 && r.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
                return ok ? std::string() : "expected a region name such as us-east-1";
            },
            "REGION"))
        ->capture_default_str();
    serve.add_option("--session-ttl-seconds", s.session_ttl_seconds, "SyncSessionToken lifetime")
        ->envname("COGSYNC_SESSION_TTL_SECONDS")->check(CLI::Range(1, 86400))->capture_default_str();
    serve.add_option("--credentials-ttl-seconds", s.credentials_ttl_seconds,
                     "Lifetime of the credentials GetCredentialsForIdentity mints")
        ->envname("COGSYNC_CREDENTIALS_TTL_SECONDS")->check(CLI::Range(1, 43200))->capture_default_str();
    add_limit_options(serve, s);
    serve.add_option("--auth", s.auth_mode,
                     "open: accept any request (laptop default); sigv4: require AWS SigV4 signatures by "
                     "keys of --credentials-file (the default when that file is given) or keys minted by "
                     "GetCredentialsForIdentity; without a file, only minted keys and no developer key")
        ->envname("COGSYNC_AUTH")->check(CLI::IsMember({"open", "sigv4"}));
    serve.add_option("--credentials-file", s.credentials_file, "Access keys, secrets and grants (see README)")
        ->envname("COGSYNC_CREDENTIALS_FILE");
    serve.add_option("--account-id", s.account_id,
                     "12-digit AWS account id written as LastModifiedBy by developer keys without their own")
        ->envname("COGSYNC_ACCOUNT_ID")->capture_default_str()
        ->check([](const std::string& v) { return valid_account_id(v) ? "" : "expected 12 digits, got '" + v + "'"; });
    serve.add_option("--rate-limit", s.rate_limit, "Requests per second per identity; 0 = off")
        ->envname("COGSYNC_RATE_LIMIT")->check(CLI::Range(0.0, 1e9))->capture_default_str();
    serve.add_option("--rate-limit-burst", s.rate_limit_burst, "Burst allowed above the rate; 0 = the rate")
        ->envname("COGSYNC_RATE_LIMIT_BURST")->check(CLI::Range(0.0, 1e9))->capture_default_str();
    add_identity_rate_options(serve, s);
    serve.add_option("--max-url-bytes", s.max_url_bytes, "Longest request target (path and query)")
        ->envname("COGSYNC_MAX_URL_BYTES")->check(CLI::Range(256ul, 1ul << 20))->capture_default_str();
    serve.add_option("--hooks-file", s.hooks_file,
                     "Push, stream and Sync Trigger targets (format: config/hooks_config.hpp)")
        ->envname("COGSYNC_HOOKS_FILE");
    serve.add_option("--hook-max-attempts", s.hook_max_attempts,
                     "Attempts after which a failing sink delivery becomes a dead letter; 0 = no limit")
        ->envname("COGSYNC_HOOK_MAX_ATTEMPTS")->check(CLI::Range(int64_t{0}, int64_t{1} << 30))->capture_default_str();
    serve.add_option("--hook-max-retry-seconds", s.hook_max_retry_seconds,
                     "Time after its first failure when a failing sink delivery becomes a dead letter; 0 = no limit")
        ->envname("COGSYNC_HOOK_MAX_RETRY_SECONDS")
        ->check(CLI::Range(int64_t{0}, int64_t{3650} * 86400))->capture_default_str();
    serve.add_option("--store-writers", s.store_writers,
                     "On a PostgreSQL --store: connections running write jobs, each one transaction at a time")
        ->envname("COGSYNC_STORE_WRITERS")->check(CLI::Range(std::size_t{1}, std::size_t{256}))->capture_default_str();
    serve.add_option("--store-readers", s.store_readers, "On a PostgreSQL --store: most connections reading at once")
        ->envname("COGSYNC_STORE_READERS")->check(CLI::Range(std::size_t{1}, std::size_t{256}))->capture_default_str();
    serve.add_option("--sink-lease-ms", s.sink_lease_ms,
                     "How long a node's lease on a sink's delivery lasts unrenewed: another node sharing the "
                     "store takes a dead node's sinks over after it")
        ->envname("COGSYNC_SINK_LEASE_MS")->check(CLI::Range(int64_t{300}, int64_t{600000}))->capture_default_str();
    serve.add_option("--public-url", s.public_url,
                     "Base URL clients reach this server at, for stream payload URLs (default: http://LISTEN)")
        ->envname("COGSYNC_PUBLIC_URL");
    serve.add_option("--token-issuer", s.token_issuer,
                     "iss of the OpenID tokens this server signs; empty: the public URL")
        ->envname("COGSYNC_TOKEN_ISSUER")
        ->check([](const std::string& v) {
            bool ok = v.empty() || (v.rfind("https://", 0) == 0 && v.size() > 8) || (v.rfind("http://", 0) == 0 && v.size() > 7);
            return ok && v.find_first_of(" \t\r\n") == std::string::npos ? "" : "expected an http:// or https:// URL, got '" + v + "'";
        });
    serve.add_option("--stream-payload-ttl-seconds", s.stream_payload_ttl_seconds,
                     "Lifetime of stream payload URLs (records beyond 1 MiB) and of the payloads kept")
        ->envname("COGSYNC_STREAM_PAYLOAD_TTL_SECONDS")
        ->check(CLI::Range(int64_t{1}, int64_t{30} * 86400))->capture_default_str();
    serve.add_option("--bulk-publish-interval-seconds", s.bulk_publish_interval_seconds,
                     "Time after a successful BulkPublish before another is accepted")
        ->envname("COGSYNC_BULK_PUBLISH_INTERVAL_SECONDS")
        ->check(CLI::Range(int64_t{0}, int64_t{365} * 86400))->capture_default_str();
    serve.add_option("--log-level", s.log_level, "trace, debug, info, warn or error")
        ->envname("COGSYNC_LOG_LEVEL")->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
        ->capture_default_str();
    serve.add_option("--log-format", s.log_format, "text, or json: one JSON object per line")
        ->envname("COGSYNC_LOG_FORMAT")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    serve.add_option("--log-file", s.log_file, "Append the log to this file (mode 0640), reopened on SIGHUP; "
                                               "default: stderr")
        ->envname("COGSYNC_LOG_FILE");
    serve.add_flag("--access-log", s.access_log, "Log a line per answered request at info: method, path, status, time")
        ->envname("COGSYNC_ACCESS_LOG")->default_str("false");
}

std::optional<std::string> finish_settings(settings& s, const std::string& listen) {
    auto host_port = split_host_port(listen);
    if (!host_port) return "--listen: expected HOST:PORT, got '" + listen + "'";
    bool keys = !s.credentials_file.empty() || !s.credentials.empty();
    if (!s.credentials_file.empty() && !s.credentials.empty())
        return "keys come from --credentials-file or from the config file's [credentials.*] tables, not both";
    if (!s.hooks_file.empty() && s.file_hooks)
        return "sinks and Sync Trigger targets come from --hooks-file or from the config file's [sink.*] and "
               "[trigger.*] tables, not both";
    if (s.auth_mode.empty()) s.auth_mode = keys ? "sigv4" : "open";
    if (s.auth_mode == "open" && keys) return "--credentials-file is given but --auth is open: keys would be ignored";
    // A body the whole budget cannot hold would get 503 "retry later" forever.
    if (s.max_buffered_bytes < s.max_body_bytes)
        return "--max-buffered-bytes (" + std::to_string(s.max_buffered_bytes) + ") must be at least --max-body-bytes (" +
               std::to_string(s.max_body_bytes) + ")";
    s.listen_host = host_port->first;
    s.listen_port = host_port->second;
    return std::nullopt;
}

namespace {

void add_dead_letter_commands(CLI::App& app, dead_letters_command& d) {
    auto* group = app.add_subcommand("dead-letters", "List or replay sink deliveries that failed for good");
    group->require_subcommand(1);
    for (const char* action : {"list", "replay"}) {
        auto* sub = group->add_subcommand(action, std::string(action) == "list"
                                                      ? "Print the count per sink, then one line per dead letter"
                                                      : "Have the server send dead letters again (picked up within a second)");
        sub->add_option("--data-dir", d.data_dir, "Directory holding the SQLite database")
            ->envname("COGSYNC_DATA_DIR")->capture_default_str();
        add_store_option(*sub, d.store);
        sub->add_option("--sink", d.sink, "Only this sink (its hooks-file section name)");
        sub->add_option("--id", d.id, "Only the dead letter with this id")->check(CLI::Range(int64_t{1}, INT64_MAX));
        sub->callback([&d, action] { d.action = action; });
    }
}

void add_transfer_commands(CLI::App& app, export_command& e, import_command& i) {
    auto* out = app.add_subcommand("export", "Write every dataset, record, device and pool configuration as NDJSON");
    out->add_option("--data-dir", e.data_dir, "Directory holding the SQLite database")
        ->envname("COGSYNC_DATA_DIR")->capture_default_str();
    add_store_option(*out, e.store);
    out->add_option("--output", e.output, "File to write (default, or -: standard output)");
    out->callback([&e] { e.chosen = true; });
    auto* in = app.add_subcommand("import", "Load an export file, line by line; refused lines are reported");
    in->add_option("file", i.file, "The export file, or - for standard input")->required();
    in->add_option("--data-dir", i.data_dir, "Directory holding the SQLite database (created if needed)")
        ->envname("COGSYNC_DATA_DIR")->capture_default_str();
    add_store_option(*in, i.store);
    add_limit_options(*in, i.limits);
}

void add_backup_command(CLI::App& app, backup_command& b) {
    auto* sub = app.add_subcommand("backup", "Copy the store to a new file, consistently, while the server runs");
    sub->add_option("dest", b.dest, "The file to create (never overwritten)")->required();
    sub->add_option("--data-dir", b.data_dir, "Directory holding the SQLite database")
        ->envname("COGSYNC_DATA_DIR")->capture_default_str();
    add_store_option(*sub, b.store);
}

void add_probe_command(CLI::App& app, probe_command& p, std::string& listen) {
    auto* sub = app.add_subcommand("probe", "Exit 0 if the server's /ready answers 200, else 1 (a health check without curl)");
    sub->add_option("--url", p.url, "URL to GET (default: /ready at the --listen address)");
    sub->add_option("--listen", listen, "The server's HOST:PORT, when --url is not given")
        ->envname("COGSYNC_LISTEN")->capture_default_str()
        ->check([](const std::string& v) { return split_host_port(v) ? "" : "expected HOST:PORT, got '" + v + "'"; });
    sub->add_option("--timeout-ms", p.timeout_ms, "Time allowed for the whole request")
        ->check(CLI::Range(1, 600000))->capture_default_str();
}

void add_pool_commands(CLI::App& app, pool_command& c) {
    auto* group = app.add_subcommand("pool", "Create, list or delete identity pools");
    group->require_subcommand(1);
    auto* create = group->add_subcommand("create", "Create an identity pool and print its id");
    create->add_option("--name", c.pool.name, "The pool's name")->required();
    create->add_flag("--allow-unauthenticated", c.pool.allow_unauthenticated, "Allow unauthenticated identities");
    create->add_option("--developer-provider", c.pool.developer_provider, "The pool's DeveloperProviderName");
    create->add_option("--id", c.pool.id, "The pool id, <region>:<uuid> (default: a new one in --region)");
    create->add_option("--region", c.region, "The region of a new pool id")->envname("COGSYNC_REGION")->capture_default_str();
    auto* list = group->add_subcommand("list", "Print one line per pool: id, name");
    auto* remove = group->add_subcommand("delete", "Delete a pool with its identities (its sync datasets stay)");
    remove->add_option("id", c.pool.id, "The pool id")->required();
    for (auto* sub : {create, list, remove}) {
        sub->add_option("--data-dir", c.data_dir, "Directory holding the SQLite database")
            ->envname("COGSYNC_DATA_DIR")->capture_default_str();
        add_store_option(*sub, c.store);
        sub->callback([&c, sub] { c.action = sub->get_name(); });
    }
}

}  // namespace

std::optional<std::string> ready_url(const std::string& listen) {
    auto host_port = split_host_port(listen);
    if (!host_port) return std::nullopt;
    settings s;
    s.listen_host = host_port->first;
    return public_url(s, host_port->second) + "/ready";
}

command parse_command_line(int argc, const char* const* argv) {
    settings s;
    std::string listen = s.listen_host + ":" + std::to_string(s.listen_port);
    CLI::App app{"cogsync: a self-hosted Amazon Cognito Sync server", "cogsync"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "cogsync 0.1.0");
    CLI::App* serve = app.add_subcommand("serve", "Run the server");
    add_serve_options(*serve, s, listen);
    dead_letters_command dead{s.data_dir};
    add_dead_letter_commands(app, dead);
    backup_command backup{s.data_dir, ""};
    add_backup_command(app, backup);
    export_command out{s.data_dir};
    import_command in{s.data_dir};
    add_transfer_commands(app, out, in);
    probe_command probe;
    std::string probe_listen = listen;
    add_probe_command(app, probe, probe_listen);
    pool_command pools{s.data_dir, "", {}, s.region};
    add_pool_commands(app, pools);
    migrate_command migrate{s.data_dir};
    add_migrate_command(app, migrate);
    config_commands config{app};
    app.footer("Options of `serve` (run `cogsync serve --help`):\n" + serve->help("", CLI::AppFormatMode::Sub));
    // The file's values become the options' defaults before parsing, so that the environment and
    // the flags override them.
    if (auto file = config_file_path(argc, argv); !file.empty()) {
        bool serving = argc > 1 && std::string(argv[1]) == "serve";
        if (serving && !config_file_applies(file, *serve, s)) return exit_now{2};
        if (!serving && !config.apply_to_show(file, argc, argv)) return exit_now{2};
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version exit 0; every mistake exits 2, like the checks below, instead of
        // CLI11's own codes (105 for a bad value), so scripts see one code for "misconfigured".
        return exit_now{app.exit(e) == 0 ? 0 : 2};
    }
    if (!dead.action.empty()) return dead;
    if (!backup.dest.empty()) return backup;
    if (!pools.action.empty()) return pools;
    if (out.chosen) return out;
    if (migrate.chosen) return migrate;
    if (!in.file.empty()) return in;
    if (app.got_subcommand("probe")) {
        if (probe.url.empty()) probe.url = *ready_url(probe_listen);
        return probe;
    }
    if (auto code = config.run_check()) return exit_now{*code};
    if (auto code = config.run_show()) return exit_now{*code};
    if (auto error = finish_settings(s, listen)) {
        std::cerr << *error << "\n";
        return exit_now{2};
    }
    return s;
}

}  // namespace cogsync::config
