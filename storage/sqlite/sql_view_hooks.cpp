// sql_view for push sync, Cognito Streams, Cognito Events and the outbox (schema step 2,
// PROTOCOL.md 7). Like the rest of sql_view, it runs inside whatever transaction is open.
#include "storage/sqlite/sql_view.hpp"

namespace cogsync::storage {
namespace {

constexpr const char* select_device = "SELECT device_id, pool, identity, platform, token FROM devices ";

device device_row(statement& s, int first = 0) {
    return {s.column_text(first), s.column_text(first + 1), s.column_text(first + 2), s.column_text(first + 3),
            s.column_text(first + 4)};
}

std::optional<device> one_device(query& q) {
    if (q->step()) return device_row(*q);
    return std::nullopt;
}

std::vector<std::string> push_arns(connection& c, const std::string& pool) {
    auto q = c.prepare("SELECT arn FROM pool_push_arns WHERE pool = ?1 ORDER BY position");
    q->bind_all(pool);
    std::vector<std::string> out;
    while (q->step()) out.push_back(q->column_text(0));
    return out;
}

std::map<std::string, std::string> pool_events(connection& c, const std::string& pool) {
    auto q = c.prepare("SELECT event, target FROM pool_events WHERE pool = ?1");
    q->bind_all(pool);
    std::map<std::string, std::string> out;
    while (q->step()) out.emplace(q->column_text(0), q->column_text(1));
    return out;
}

void delete_pool_rows(connection& c, const std::string& pool) {
    for (const char* sql : {"DELETE FROM pool_configs WHERE pool = ?1", "DELETE FROM pool_push_arns WHERE pool = ?1",
                            "DELETE FROM pool_events WHERE pool = ?1"}) {
        auto q = c.prepare(sql);
        q->bind_all(pool);
        q->step();
    }
}

}  // namespace

std::optional<pool_config> sql_view::load_pool_config(const std::string& pool) {
    pool_config c;
    c.pool = pool;
    c.events = pool_events(c_, pool);
    bool has_row = false;
    {
        auto q = c_.prepare(
            "SELECT push_set, push_role_arn, streams_set, stream_name, stream_role_arn, streaming_status"
            " FROM pool_configs WHERE pool = ?1");
        q->bind_all(pool);
        if (q->step()) {
            has_row = true;
            if (q->column_int(0) != 0) c.push_sync = push_sync_config{{}, q->column_text(1)};
            if (q->column_int(2) != 0)
                c.cognito_streams = cognito_streams_config{q->column_text(3), q->column_text(4), q->column_text(5)};
        }
    }
    if (!has_row && c.events.empty()) return std::nullopt;
    if (c.push_sync) c.push_sync->application_arns = push_arns(c_, pool);
    return c;
}

void sql_view::save_pool_config(const pool_config& c) {
    delete_pool_rows(c_, c.pool);
    {
        const push_sync_config none_push;
        const cognito_streams_config none_streams;
        const auto& p = c.push_sync ? *c.push_sync : none_push;
        const auto& s = c.cognito_streams ? *c.cognito_streams : none_streams;
        auto q = c_.prepare(
            "INSERT INTO pool_configs(pool, push_set, push_role_arn, streams_set, stream_name, stream_role_arn,"
            " streaming_status) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        q->bind_all(c.pool, int64_t{c.push_sync.has_value()}, p.role_arn, int64_t{c.cognito_streams.has_value()},
                    s.stream_name, s.role_arn, s.streaming_status);
        q->step();
    }
    if (c.push_sync) {
        int64_t position = 0;
        for (const auto& arn : c.push_sync->application_arns) {
            auto q = c_.prepare("INSERT INTO pool_push_arns(pool, position, arn) VALUES(?1, ?2, ?3)");
            q->bind_all(c.pool, position++, arn);
            q->step();
        }
    }
    for (const auto& [event, target] : c.events) {
        auto q = c_.prepare("INSERT INTO pool_events(pool, event, target) VALUES(?1, ?2, ?3)");
        q->bind_all(c.pool, event, target);
        q->step();
    }
}

std::vector<pool_config> sql_view::pool_configs_page(const std::string& after_pool, std::size_t limit) {
    // Events alone (SetCognitoEvents) leave no pool_configs row.
    std::vector<std::string> pools;
    {
        auto q = c_.prepare(
            "SELECT pool FROM pool_configs WHERE pool > ?1 UNION SELECT pool FROM pool_events WHERE pool > ?1"
            " ORDER BY pool LIMIT ?2");
        q->bind_all(after_pool, sql_limit(limit));
        while (q->step()) pools.push_back(q->column_text(0));
    }
    std::vector<pool_config> out;
    for (const auto& pool : pools)
        if (auto c = load_pool_config(pool)) out.push_back(std::move(*c));
    return out;
}

std::vector<device> sql_view::devices_page(const device* after, std::size_t limit) {
    static const std::string from_start = std::string(select_device) + "ORDER BY pool, identity, device_id LIMIT ?1";
    static const std::string from_cursor = std::string(select_device) +
                                           "WHERE (pool, identity, device_id) > (?2, ?3, ?4)"
                                           " ORDER BY pool, identity, device_id LIMIT ?1";
    auto q = c_.prepare(after ? from_cursor : from_start);
    if (after) q->bind_all(sql_limit(limit), after->pool, after->identity, after->device_id);
    else q->bind_all(sql_limit(limit));
    std::vector<device> out;
    while (q->step()) out.push_back(device_row(*q));
    return out;
}

std::vector<subscription> sql_view::subscriptions_page(const subscription* after, std::size_t limit) {
    // Both forms walk the subscriptions' primary key in order.
    static const std::string select = "SELECT pool, identity, dataset, device_id FROM subscriptions ";
    static const std::string order = "ORDER BY pool, identity, dataset, device_id LIMIT ?1";
    static const std::string from_start = select + order;
    static const std::string from_cursor = select + "WHERE (pool, identity, dataset, device_id) > (?2, ?3, ?4, ?5) " + order;
    auto q = c_.prepare(after ? from_cursor : from_start);
    if (after)
        q->bind_all(sql_limit(limit), after->dataset.pool, after->dataset.identity, after->dataset.name, after->device_id);
    else q->bind_all(sql_limit(limit));
    std::vector<subscription> out;
    while (q->step()) out.push_back({{q->column_text(0), q->column_text(1), q->column_text(2)}, q->column_text(3)});
    return out;
}

std::optional<device> sql_view::find_device(const std::string& pool, const std::string& identity,
                                            const std::string& device_id) {
    static const std::string sql = std::string(select_device) + "WHERE device_id = ?1 AND pool = ?2 AND identity = ?3";
    auto q = c_.prepare(sql);
    q->bind_all(device_id, pool, identity);
    return one_device(q);
}

std::optional<device> sql_view::find_device_by_token(const std::string& pool, const std::string& identity,
                                                     const std::string& platform, const std::string& token) {
    static const std::string sql =
        std::string(select_device) + "WHERE pool = ?1 AND identity = ?2 AND platform = ?3 AND token = ?4";
    auto q = c_.prepare(sql);
    q->bind_all(pool, identity, platform, token);
    return one_device(q);
}

void sql_view::save_device(const device& d) {
    auto q = c_.prepare(
        "INSERT OR REPLACE INTO devices(device_id, pool, identity, platform, token) VALUES(?1, ?2, ?3, ?4, ?5)");
    q->bind_all(d.device_id, d.pool, d.identity, d.platform, d.token);
    q->step();
}

std::vector<device> sql_view::subscribers(const dataset_id& id) {
    auto q = c_.prepare(
        "SELECT d.device_id, d.pool, d.identity, d.platform, d.token FROM subscriptions s"
        " JOIN devices d ON d.device_id = s.device_id"
        " WHERE s.pool = ?1 AND s.identity = ?2 AND s.dataset = ?3 ORDER BY s.device_id");
    q->bind_all(id.pool, id.identity, id.name);
    std::vector<device> out;
    while (q->step()) out.push_back(device_row(*q));
    return out;
}

bool sql_view::is_subscribed(const dataset_id& id, const std::string& device_id) {
    auto q = c_.prepare(
        "SELECT 1 FROM subscriptions WHERE pool = ?1 AND identity = ?2 AND dataset = ?3 AND device_id = ?4");
    q->bind_all(id.pool, id.identity, id.name, device_id);
    return q->step();
}

int64_t sql_view::device_count(const std::string& pool, const std::string& identity) {
    auto q = c_.prepare("SELECT count(*) FROM devices WHERE pool = ?1 AND identity = ?2");
    q->bind_all(pool, identity);
    q->step();
    return q->column_int(0);
}

int64_t sql_view::subscriber_count(const dataset_id& id) {
    auto q = c_.prepare("SELECT count(*) FROM subscriptions WHERE pool = ?1 AND identity = ?2 AND dataset = ?3");
    q->bind_all(id.pool, id.identity, id.name);
    q->step();
    return q->column_int(0);
}

void sql_view::subscribe(const dataset_id& id, const std::string& device_id) {
    auto q = c_.prepare(
        "INSERT OR IGNORE INTO subscriptions(pool, identity, dataset, device_id) VALUES(?1, ?2, ?3, ?4)");
    q->bind_all(id.pool, id.identity, id.name, device_id);
    q->step();
}

bool sql_view::unsubscribe(const dataset_id& id, const std::string& device_id) {
    auto q = c_.prepare(
        "DELETE FROM subscriptions WHERE pool = ?1 AND identity = ?2 AND dataset = ?3 AND device_id = ?4");
    q->bind_all(id.pool, id.identity, id.name, device_id);
    q->step();
    return c_.changes() == 1;
}

bulk_publish_state sql_view::load_bulk_publish(const std::string& pool) {
    auto q = c_.prepare("SELECT status, start_ms, complete_ms, failure FROM bulk_publish WHERE pool = ?1");
    q->bind_all(pool);
    if (!q->step()) return {};
    return {q->column_text(0), q->column_int(1), q->column_int(2), q->column_text(3)};
}

void sql_view::save_bulk_publish(const std::string& pool, const bulk_publish_state& s) {
    auto q = c_.prepare(
        "INSERT OR REPLACE INTO bulk_publish(pool, status, start_ms, complete_ms, failure) VALUES(?1, ?2, ?3, ?4, ?5)");
    q->bind_all(pool, s.status, s.start_ms, s.complete_ms, s.failure);
    q->step();
}

std::vector<outbox_event> sql_view::outbox_page(int64_t after_id, std::size_t limit) {
    auto q = c_.prepare(
        "SELECT id, pool, identity, dataset, kind, payload, created_ms FROM outbox WHERE id > ?1"
        " ORDER BY id LIMIT ?2");
    q->bind_all(after_id, sql_limit(limit));
    std::vector<outbox_event> out;
    while (q->step())
        out.push_back({q->column_int(0), q->column_text(1), q->column_text(2), q->column_text(3), q->column_text(4),
                       q->column_text(5), q->column_int(6)});
    return out;
}

int64_t sql_view::append_outbox(const outbox_event& e) {
    auto q = c_.prepare(
        "INSERT INTO outbox(pool, identity, dataset, kind, payload, created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
        " RETURNING id");
    q->bind_all(e.pool, e.identity, e.dataset, e.kind, e.payload, e.created_ms);
    q->step();
    int64_t id = q->column_int(0);
    while (q->step()) {
    }
    return id;
}

void sql_view::trim_outbox(int64_t up_to_id) {
    auto q = c_.prepare("DELETE FROM outbox WHERE id <= ?1");
    q->bind_all(up_to_id);
    q->step();
}

int64_t sql_view::sink_cursor(const std::string& sink) {
    auto q = c_.prepare("SELECT last_id FROM sink_cursors WHERE sink = ?1");
    q->bind_all(sink);
    return q->step() ? q->column_int(0) : 0;
}

void sql_view::set_sink_cursor(const std::string& sink, int64_t id) {
    auto q = c_.prepare(
        "INSERT INTO sink_cursors(sink, last_id) VALUES(?1, ?2) ON CONFLICT(sink) DO UPDATE SET last_id = excluded.last_id");
    q->bind_all(sink, id);
    q->step();
}

std::optional<std::string> sql_view::node_value(const std::string& name) {
    auto q = c_.prepare("SELECT value FROM node_state WHERE name = ?1");
    q->bind_all(name);
    if (!q->step()) return std::nullopt;
    return q->column_text(0);
}

void sql_view::save_node_value(const std::string& name, const std::string& value) {
    auto q = c_.prepare(
        "INSERT INTO node_state(name, value) VALUES(?1, ?2) ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    q->bind_all(name, value);
    q->step();
}

}  // namespace cogsync::storage
