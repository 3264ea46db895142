// pg_view for push sync, Cognito Streams, Cognito Events, the outbox and node state
// (PROTOCOL.md 7).
//
// The outbox's id-visibility rule (storage/record_store.hpp): append_outbox takes one
// transaction-level advisory lock (the outbox lock) before it draws the next id from the
// outbox_ids sequence, and holds it until its transaction commits or rolls back. A second writer
// therefore draws its id only once the first transaction is over, and PostgreSQL makes a commit
// visible before it releases that transaction's locks: ids become visible in id order, and a
// consumer that read up to N never later meets a committed id <= N (an id drawn by a rolled-back
// transaction stays a gap). The cost is that event-producing writes commit one at a time from
// their append on; the API appends an event as the last step of its job (api/ops/), so the lock
// covers little more than the commit itself.
#include "storage/pg/pg_view.hpp"

namespace cogsync::storage {
namespace {

constexpr const char* select_device = "SELECT device_id, pool, identity, platform, token FROM devices ";

std::vector<device> device_rows(const pg_rows& r) {
    std::vector<device> out;
    for (int i = 0; i < r.size(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
    return out;
}

std::optional<device> one_device(const pg_rows& r) {
    auto all = device_rows(r);
    if (all.empty()) return std::nullopt;
    return std::move(all.front());
}

}  // namespace

// Two statements, one round trip: one row per event, the configuration's columns repeated on
// each (NULL when the pool has none), at least one row; and the push ARNs.
std::vector<pg_connection::statement> pg_view::pool_config_statements(const std::string& pool) {
    return {{"SELECT c.push_set, c.push_role_arn, c.streams_set, c.stream_name, c.stream_role_arn,"
             " c.streaming_status, e.event, e.target FROM (SELECT $1::text COLLATE \"C\" AS pool) p"
             " LEFT JOIN pool_configs c ON c.pool = p.pool LEFT JOIN pool_events e ON e.pool = p.pool",
             {to_param(pool)}},
            {"SELECT arn FROM pool_push_arns WHERE pool = $1 ORDER BY position", {to_param(pool)}}};
}

std::optional<pool_config> pg_view::pool_config_of(const std::string& pool, const pg_rows& row, const pg_rows& arns) {
    pool_config c;
    c.pool = pool;
    for (int i = 0; i < row.size(); ++i)
        if (!row.is_null(i, 6)) c.events.emplace(row.text(i, 6), row.text(i, 7));
    const bool configured = !row.is_null(0, 0);
    if (!configured && c.events.empty()) return std::nullopt;
    if (configured && row.integer(0, 0) != 0) {
        c.push_sync = push_sync_config{{}, row.text(0, 1)};
        for (int i = 0; i < arns.size(); ++i) c.push_sync->application_arns.push_back(arns.text(i, 0));
    }
    if (configured && row.integer(0, 2) != 0)
        c.cognito_streams = cognito_streams_config{row.text(0, 3), row.text(0, 4), row.text(0, 5)};
    return c;
}

std::optional<pool_config> pg_view::load_pool_config(const std::string& pool) {
    auto rows = c_.exec_all(pool_config_statements(pool));
    return pool_config_of(pool, rows[0], rows[1]);
}

void pg_view::save_pool_config(const pool_config& c) {
    for (const char* sql : {"DELETE FROM pool_configs WHERE pool = $1", "DELETE FROM pool_push_arns WHERE pool = $1",
                            "DELETE FROM pool_events WHERE pool = $1"})
        c_.exec(sql, c.pool);
    const push_sync_config none_push;
    const cognito_streams_config none_streams;
    const auto& p = c.push_sync ? *c.push_sync : none_push;
    const auto& s = c.cognito_streams ? *c.cognito_streams : none_streams;
    c_.exec(
        "INSERT INTO pool_configs(pool, push_set, push_role_arn, streams_set, stream_name, stream_role_arn,"
        " streaming_status) VALUES($1, $2, $3, $4, $5, $6, $7)",
        c.pool, c.push_sync.has_value(), p.role_arn, c.cognito_streams.has_value(), s.stream_name, s.role_arn,
        s.streaming_status);
    int64_t position = 0;
    if (c.push_sync)
        for (const auto& arn : c.push_sync->application_arns)
            c_.exec("INSERT INTO pool_push_arns(pool, position, arn) VALUES($1, $2, $3)", c.pool, position++, arn);
    for (const auto& [event, target] : c.events)
        c_.exec("INSERT INTO pool_events(pool, event, target) VALUES($1, $2, $3)", c.pool, event, target);
}

std::vector<pool_config> pg_view::pool_configs_page(const std::string& after_pool, std::size_t limit) {
    // Events alone (SetCognitoEvents) leave no pool_configs row.
    auto pools = c_.exec(
        "SELECT pool FROM pool_configs WHERE pool > $1 UNION SELECT pool FROM pool_events WHERE pool > $1"
        " ORDER BY pool LIMIT $2",
        after_pool, pg_limit(limit));
    std::vector<pool_config> out;
    for (int i = 0; i < pools.size(); ++i)
        if (auto c = load_pool_config(pools.text(i, 0))) out.push_back(std::move(*c));
    return out;
}

std::vector<device> pg_view::devices_page(const device* after, std::size_t limit) {
    static const std::string from_start = std::string(select_device) + "ORDER BY pool, identity, device_id LIMIT $1";
    static const std::string from_cursor = std::string(select_device) +
                                           "WHERE (pool, identity, device_id) > ($2::text, $3::text, $4::text)"
                                           " ORDER BY pool, identity, device_id LIMIT $1";
    if (after) return device_rows(c_.exec(from_cursor, pg_limit(limit), after->pool, after->identity, after->device_id));
    return device_rows(c_.exec(from_start, pg_limit(limit)));
}

std::vector<subscription> pg_view::subscriptions_page(const subscription* after, std::size_t limit) {
    static const std::string select = "SELECT pool, identity, dataset, device_id FROM subscriptions ";
    static const std::string order = "ORDER BY pool, identity, dataset, device_id LIMIT $1";
    static const std::string from_start = select + order;
    static const std::string from_cursor =
        select + "WHERE (pool, identity, dataset, device_id) > ($2::text, $3::text, $4::text, $5::text) " + order;
    auto r = after ? c_.exec(from_cursor, pg_limit(limit), after->dataset.pool, after->dataset.identity,
                             after->dataset.name, after->device_id)
                   : c_.exec(from_start, pg_limit(limit));
    std::vector<subscription> out;
    for (int i = 0; i < r.size(); ++i) out.push_back({{r.text(i, 0), r.text(i, 1), r.text(i, 2)}, r.text(i, 3)});
    return out;
}

std::optional<device> pg_view::find_device(const std::string& pool, const std::string& identity,
                                           const std::string& device_id) {
    static const std::string sql = std::string(select_device) + "WHERE device_id = $1 AND pool = $2 AND identity = $3";
    return one_device(c_.exec(sql, device_id, pool, identity));
}

std::optional<device> pg_view::find_device_by_token(const std::string& pool, const std::string& identity,
                                                    const std::string& platform, const std::string& token) {
    static const std::string sql =
        std::string(select_device) + "WHERE pool = $1 AND identity = $2 AND platform = $3 AND token = $4";
    return one_device(c_.exec(sql, pool, identity, platform, token));
}

void pg_view::save_device(const device& d) {
    // Insert or replace by device_id; a device that took over another's token replaces it, as
    // SQLite's INSERT OR REPLACE does for the UNIQUE(pool, identity, platform, token) row.
    c_.exec("DELETE FROM devices WHERE device_id <> $1 AND pool = $2 AND identity = $3 AND platform = $4 AND token = $5",
            d.device_id, d.pool, d.identity, d.platform, d.token);
    c_.exec(
        "INSERT INTO devices(device_id, pool, identity, platform, token) VALUES($1, $2, $3, $4, $5)"
        " ON CONFLICT(device_id) DO UPDATE SET pool = excluded.pool, identity = excluded.identity,"
        " platform = excluded.platform, token = excluded.token",
        d.device_id, d.pool, d.identity, d.platform, d.token);
}

std::vector<device> pg_view::subscribers(const dataset_id& id) {
    return device_rows(c_.exec(
        "SELECT d.device_id, d.pool, d.identity, d.platform, d.token FROM subscriptions s"
        " JOIN devices d ON d.device_id = s.device_id"
        " WHERE s.pool = $1 AND s.identity = $2 AND s.dataset = $3 ORDER BY s.device_id",
        id.pool, id.identity, id.name));
}

bool pg_view::is_subscribed(const dataset_id& id, const std::string& device_id) {
    return !c_.exec("SELECT 1 FROM subscriptions WHERE pool = $1 AND identity = $2 AND dataset = $3 AND device_id = $4",
                    id.pool, id.identity, id.name, device_id)
                .empty();
}

int64_t pg_view::device_count(const std::string& pool, const std::string& identity) {
    return c_.exec("SELECT count(*) FROM devices WHERE pool = $1 AND identity = $2", pool, identity).integer(0, 0);
}

int64_t pg_view::subscriber_count(const dataset_id& id) {
    return c_.exec("SELECT count(*) FROM subscriptions WHERE pool = $1 AND identity = $2 AND dataset = $3", id.pool,
                   id.identity, id.name)
        .integer(0, 0);
}

void pg_view::subscribe(const dataset_id& id, const std::string& device_id) {
    c_.exec("INSERT INTO subscriptions(pool, identity, dataset, device_id) VALUES($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            id.pool, id.identity, id.name, device_id);
}

bool pg_view::unsubscribe(const dataset_id& id, const std::string& device_id) {
    return c_.exec("DELETE FROM subscriptions WHERE pool = $1 AND identity = $2 AND dataset = $3 AND device_id = $4",
                   id.pool, id.identity, id.name, device_id)
               .affected() == 1;
}

bulk_publish_state pg_view::load_bulk_publish(const std::string& pool) {
    auto r = c_.exec("SELECT status, start_ms, complete_ms, failure FROM bulk_publish WHERE pool = $1", pool);
    if (r.empty()) return {};
    return {r.text(0, 0), r.integer(0, 1), r.integer(0, 2), r.text(0, 3)};
}

void pg_view::save_bulk_publish(const std::string& pool, const bulk_publish_state& s) {
    c_.exec(
        "INSERT INTO bulk_publish(pool, status, start_ms, complete_ms, failure) VALUES($1, $2, $3, $4, $5)"
        " ON CONFLICT(pool) DO UPDATE SET status = excluded.status, start_ms = excluded.start_ms,"
        " complete_ms = excluded.complete_ms, failure = excluded.failure",
        pool, s.status, s.start_ms, s.complete_ms, s.failure);
}

std::vector<outbox_event> pg_view::outbox_page(int64_t after_id, std::size_t limit) {
    auto r = c_.exec(
        "SELECT id, pool, identity, dataset, kind, payload, created_ms FROM outbox WHERE id > $1 ORDER BY id LIMIT $2",
        after_id, pg_limit(limit));
    std::vector<outbox_event> out;
    for (int i = 0; i < r.size(); ++i)
        out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5),
                       r.integer(i, 6)});
    return out;
}

// One statement: the outbox lock (see the header of this file) is taken in a subquery that
// OFFSET 0 keeps from being merged into the outer one, so it is held before nextval draws the
// id; pg_notify wakes every listening node at commit (pg_store's listener).
int64_t pg_view::append_outbox(const outbox_event& e) {
    return c_.exec(
                 "INSERT INTO outbox(id, pool, identity, dataset, kind, payload, created_ms)"
                 " SELECT nextval('outbox_ids'), $1, $2, $3, $4, $5, $6 FROM (SELECT"
                 " pg_advisory_xact_lock(hashtextextended('outbox', 0)), pg_notify('cogsync_outbox', '') OFFSET 0) l"
                 " RETURNING id",
                 e.pool, e.identity, e.dataset, e.kind, e.payload, e.created_ms)
        .integer(0, 0);
}

void pg_view::add_outbox(const outbox_event& e) {
    c_.defer_exec(
        "INSERT INTO outbox(id, pool, identity, dataset, kind, payload, created_ms)"
        " SELECT nextval('outbox_ids'), $1, $2, $3, $4, $5, $6 FROM (SELECT"
        " pg_advisory_xact_lock(hashtextextended('outbox', 0)), pg_notify('cogsync_outbox', '') OFFSET 0) l",
        e.pool, e.identity, e.dataset, e.kind, e.payload, e.created_ms);
}

void pg_view::trim_outbox(int64_t up_to_id) { c_.exec("DELETE FROM outbox WHERE id <= $1", up_to_id); }

int64_t pg_view::sink_cursor(const std::string& sink) {
    auto r = c_.exec("SELECT last_id FROM sink_cursors WHERE sink = $1", sink);
    return r.empty() ? 0 : r.integer(0, 0);
}

void pg_view::set_sink_cursor(const std::string& sink, int64_t id) {
    c_.exec("INSERT INTO sink_cursors(sink, last_id) VALUES($1, $2) ON CONFLICT(sink) DO UPDATE SET last_id = excluded.last_id",
            sink, id);
}

// In a job, the node value is read under a lock of its name, so that callers racing to create
// it (record_store::node_secret) see the first one's value instead of overwriting it.
std::optional<std::string> pg_view::node_value(const std::string& name) {
    lock("node\x1f" + name);
    auto r = c_.exec("SELECT value FROM node_state WHERE name = $1", name);
    if (r.empty()) return std::nullopt;
    return r.text(0, 0);
}

void pg_view::save_node_value(const std::string& name, const std::string& value) {
    c_.exec("INSERT INTO node_state(name, value) VALUES($1, $2) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            name, value);
}

}  // namespace cogsync::storage
