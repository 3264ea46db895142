#include "server/app.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/post.hpp>
#include <malloc.h>
#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

#include "api/context.hpp"
#include "api/identity/tokens/signing_key.hpp"
#include "config/credentials.hpp"
#include "config/hooks_config.hpp"
#include "config/public_urls.hpp"
#include "config/store_url.hpp"
#include "server/declared_pools.hpp"
#include "server/hooks/outbox_deliverer.hpp"
#include "server/fd_limit.hpp"
#include "server/hooks/hook_registry.hpp"
#include "server/io_pool.hpp"
#include "server/listener.hpp"
#include "server/metrics_samples.hpp"
#include "server/connection_registry.hpp"
#include "server/http_session.hpp"
#include "server/logging.hpp"
#include "server/hooks/outbound_executor.hpp"
#include "server/login_providers.hpp"
#include "server/token_key.hpp"
#include "storage/open_store.hpp"

namespace cogsync::server {

namespace asio = boost::asio;

namespace {

int64_t epoch_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

storage::store_options store_options_for(const config::settings& s) {
    storage::store_options o;
    o.path = s.data_dir + "/cogsync.db";
    o.sync = s.durability == "normal" ? storage::durability::normal : storage::durability::full;
    return o;
}

// A developer key without an account of its own writes the server's --account-id.
std::vector<api::auth::key_grant> grants_from(const std::vector<config::credential>& creds,
                                              const std::string& default_account) {
    std::vector<api::auth::key_grant> out;
    for (const auto& c : creds) {
        bool developer = c.kind == config::credential::kind::developer;
        std::string account = developer ? (c.account_id.empty() ? default_account : c.account_id) : "";
        out.push_back({c.access_key, c.secret, c.session_token, developer, c.all_pools, c.pools, c.identity_pool,
                       c.identity_id, std::move(account)});
    }
    return out;
}

// Keys minted by GetCredentialsForIdentity, read in a snapshot on the calling (I/O) thread.
api::auth::secret_lookup minted_keys(storage::record_store& store) {
    return [&store](std::string_view key) -> std::optional<api::auth::signing_key_lookup_result> {
        auto c = store.read([&](storage::read_view& v) { return v.find_minted_credential(std::string(key)); });
        if (!c) return std::nullopt;
        return api::auth::signing_key_lookup_result{c->secret, c->session_token,
                                                    api::auth::minted_scope{c->pool, c->identity_id, c->expires_ms}};
    };
}

std::unique_ptr<api::auth::authenticator> authenticator_for(const config::settings& s, storage::record_store& store) {
    if (s.auth_mode != "sigv4") {
        spdlog::warn("auth mode open: requests are not authenticated and any caller may read or write any "
                     "identity's data; configure --credentials-file before exposing this server");
        return nullptr;
    }
    bool own_file = !s.credentials_file.empty();
    auto creds = own_file ? config::load_credentials_file(s.credentials_file) : s.credentials;
    spdlog::info("auth mode sigv4: {} access key(s) from {}", creds.size(),
                 own_file ? s.credentials_file : "the config file");
    if (!config::has_developer_key(creds))
        spdlog::info("auth mode sigv4 without a developer key: {}", config::no_developer_key_note);
    return std::make_unique<api::auth::authenticator>(grants_from(creds, s.account_id), minted_keys(store));
}

// A bucket per key at `rate` per second up to `burst` (0: the rate); none for a rate of 0.
std::unique_ptr<api::rate_limiter> limiter(double rate, double burst) {
    return rate > 0 ? std::make_unique<api::rate_limiter>(rate, burst > 0 ? burst : rate) : nullptr;
}

std::unique_ptr<api::rate_limiter> rate_limiter_for(const config::settings& s) {
    if (s.rate_limit > 0) spdlog::info("rate limit: {} requests/s per identity", s.rate_limit);
    return limiter(s.rate_limit, s.rate_limit_burst);
}

// The unsigned Cognito Identity operations' buckets (api/identity/rate_limits.hpp).
struct identity_limiters {
    std::unique_ptr<api::rate_limiter> per_pool, per_address, per_identity;
    api::identity_rate_limits view() const { return {per_pool.get(), per_address.get(), per_identity.get()}; }
};

identity_limiters identity_limiters_for(const config::settings& s) {
    spdlog::info("identity rate limits (0 = off): GetId {}/s per pool, {}/s per client address; "
                 "GetCredentialsForIdentity {}/s per identity",
                 s.get_id_rate_limit, s.get_id_address_rate_limit, s.credentials_rate_limit);
    return {limiter(s.get_id_rate_limit, s.get_id_rate_limit_burst),
            limiter(s.get_id_address_rate_limit, s.get_id_address_rate_limit_burst),
            limiter(s.credentials_rate_limit, s.credentials_rate_limit_burst)};
}

// glibc returns freed memory at the top of the heap to the kernel as soon as 128 KiB are free;
// SQLite's savepoints free and reallocate about that much on every write job, so each write paid
// a trim (madvise) on the writer thread. Keep up to 64 MiB of free heap instead.
void tune_allocator() {
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
}

// The hooks file, else the config file's [sink.*] and [trigger.*] tables, else the default.
built_hooks hooks_for(const config::settings& s, api::stream_payloads& payloads) {
    const bool own_file = !s.hooks_file.empty();
    const std::string origin = own_file ? s.hooks_file : s.file_hooks ? s.config_file : "";
    auto c = own_file ? config::load_hooks_file(s.hooks_file) : s.file_hooks ? *s.file_hooks : default_hooks(s.data_dir);
    auto built = build_hooks(c, origin, &payloads);
    spdlog::info("hooks: {} sink(s), {} trigger target(s){}", c.sinks.size(), c.triggers.size(),
                 origin.empty() ? " (no --hooks-file: stream records go to " + s.data_dir + "/streams)"
                                : " from " + origin);
    return built;
}

// SIGHUP: reopen the log file (logrotate), as often as it comes. Without this handler SIGHUP's
// default action would end the process.
void reopen_log_on_hangup(asio::signal_set& hangup) {
    hangup.async_wait([&hangup](boost::system::error_code ec, int) {
        if (ec) return;
        reopen_log_file();
        reopen_log_on_hangup(hangup);
    });
}

// SIGTERM/SIGINT: stop accepting, close idle connections, let busy ones answer what they read,
// then let run() return; after the grace period, stop regardless. The SIGHUP wait ends too, so
// that it leaves run() nothing to wait for.
void drain_on_signal(io_pool& io, asio::signal_set& signals, asio::signal_set& hangup, asio::steady_timer& grace,
                     const std::shared_ptr<listener>& l, connection_registry& connections, int grace_ms) {
    signals.async_wait([&io, &hangup, &grace, &connections, l, grace_ms](boost::system::error_code ec, int signo) {
        if (ec) return;
        spdlog::info("signal {}: draining {} connection(s), at most {} ms", signo, connections.count(), grace_ms);
        hangup.cancel();
        l->stop();
        io.release();
        grace.expires_after(std::chrono::milliseconds(grace_ms));
        grace.async_wait([&io, &connections](boost::system::error_code ec) {
            if (ec) return;
            spdlog::warn("shutdown grace period over with {} connection(s) open; closing them", connections.count());
            io.stop();
        });
        for (const auto& session :
             connections.begin_drain([&io, &grace] { asio::post(io.first(), [&grace] { grace.cancel(); }); }))
            session->drain();
    });
}

}  // namespace

// Declaration order is the teardown order, reversed: the store drains its writes (their
// completions post into a live io_context) before the I/O threads' io_contexts go away, and those
// (with any session they still hold) go before the connection registry those sessions use.
int run_server(const config::settings& configured) {
    // Before anything opens a file: the connection cap is what the open-file limit allows.
    config::settings s = configured;
    s.max_connections = apply_fd_budget(s.max_connections, fd_reserve(s.outbound_threads, s.io_threads));
    std::filesystem::create_directories(s.data_dir);
    tune_allocator();
    connection_registry connections(s.max_buffered_bytes);
    io_pool io(s.io_threads);
    const auto opened = storage::open_store(s.store, store_options_for(s), {s.store_writers, s.store_readers});
    storage::record_store& store = *opened;
    apply_declared_pools(store, s.pools, epoch_ms());
    api::context api_ctx{store, api::token_codec(load_or_create_token_key(store, s.data_dir)),
                         api::sync_limits{s.max_datasets, s.max_records, s.max_dataset_bytes},
                         int64_t{s.session_ttl_seconds} * 1000, epoch_ms};
    auto authenticator = authenticator_for(s, store);
    auto sync_limiter = rate_limiter_for(s);
    const auto identity_limits = identity_limiters_for(s);
    api_ctx.auth = authenticator.get();
    api_ctx.limiter = sync_limiter.get();
    api_ctx.identity_limits = identity_limits.view();
    api_ctx.region = s.region;
    const auto login_providers = load_login_providers(s.oidc_providers);
    api_ctx.login_providers = &login_providers;
    api::identity::signing_key_cache signing_keys(store);
    api_ctx.signing_keys = &signing_keys;
    api_ctx.credentials_ttl_ms = int64_t{s.credentials_ttl_seconds} * 1000;
    api_ctx.bulk_publish_interval_ms = s.bulk_publish_interval_seconds * 1000;
    api_ctx.push = {s.max_devices, s.max_subscriptions};
    api::stream_payloads payloads(store, load_or_create_stream_payload_key(store),
                                 s.stream_payload_ttl_seconds * 1000);
    payloads.sweep(epoch_ms());
    api_ctx.payloads = &payloads;
    auto hooks = hooks_for(s, payloads);
    api_ctx.change_events = hooks.change_consumers > 0;
    outbox_deliverer outbox(store, std::move(hooks.sinks),
                            retry_limits{s.hook_max_attempts, std::chrono::seconds(s.hook_max_retry_seconds)},
                            node_lease_terms(s.sink_lease_ms));
    api_ctx.trigger = hooks.triggers.get();
    api_ctx.stream_served = [&hooks](const std::string& stream) { return hooks.serves_stream(stream); };
    api_ctx.outbox = &outbox;
    outbound_executor outbound(static_cast<std::size_t>(s.outbound_threads), static_cast<std::size_t>(s.trigger_concurrency));
    shared_state state{s, api_ctx, outbound, connections};
    api::readiness ready;
    ready.draining = [&connections] { return connections.draining(); };
    ready.store_reachable = [&store] { return store.reachable(); };
    api_ctx.ready = &ready;
    api::metrics counters;
    counters.set_server_samples([&] { return server_samples(connections, outbox, store); });
    api_ctx.counters = &counters;

    auto at = asio::ip::tcp::endpoint(asio::ip::make_address(s.listen_host), s.listen_port);
    auto l = std::make_shared<listener>(io, at, state);
    // Handlers go in before the listening line: whoever reads it may signal at once.
    asio::signal_set signals(io.first(), SIGINT, SIGTERM);
    asio::signal_set hangup(io.first(), SIGHUP);
    asio::steady_timer grace(io.first());
    reopen_log_on_hangup(hangup);
    drain_on_signal(io, signals, hangup, grace, l, connections, s.shutdown_grace_ms);
    l->run();
    ready.listening = true;
    spdlog::info("storage {} (schema v{}, durability {})", s.store.empty() ? store_options_for(s).path : config::masked_store_url(s.store),
                 store.schema_version(), s.store.empty() ? s.durability : "of the database");
    auto bound = l->local_endpoint();
    payloads.set_base_url(config::public_url(s, bound.port()));
    api_ctx.token_issuer = config::token_issuer(s, bound.port());
    outbox.start();  // after the bind: stream payload URLs name the bound port
    spdlog::info("listening on {}:{}", bound.address().to_string(), bound.port());
    // Reads in one run of ready handlers share a snapshot while nothing commits between them.
    io.run({[&store] { store.share_read_snapshots(); }, [&store] { store.release_read_snapshot(); }});
    connections.forget_drain();
    outbound.stop();  // a trigger call in flight ends (bounded by its timeout); its answer has nowhere to go
    // Every job queued so far runs while the API context its jobs use is still alive.
    store.drain();
    outbox.stop();    // the delivery in flight ends (bounded by its timeout); undelivered events stay queued
    spdlog::info("stopped");
    return 0;
}

}  // namespace cogsync::server
