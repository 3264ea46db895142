// sql_view for deliveries a sink set aside: push retries per device and dead letters (schema
// step 4). Like the rest of sql_view, it runs inside whatever transaction is open.
#include "storage/sqlite/sql_view.hpp"

namespace cogsync::storage {
namespace {

constexpr const char* select_parked =
    "SELECT id, sink, target, event_id, pool, identity, dataset, kind, payload, created_ms, dead, attempts,"
    " first_failed_ms, next_ms, reason FROM parked_deliveries ";

parked_delivery parked_row(statement& s) {
    parked_delivery d;
    d.id = s.column_int(0);
    d.sink = s.column_text(1);
    d.target = s.column_text(2);
    d.event = {s.column_int(3), s.column_text(4), s.column_text(5), s.column_text(6),
               s.column_text(7), s.column_text(8), s.column_int(9)};
    d.dead = s.column_int(10) != 0;
    d.attempts = s.column_int(11);
    d.first_failed_ms = s.column_int(12);
    d.next_ms = s.column_int(13);
    d.reason = s.column_text(14);
    return d;
}

std::vector<parked_delivery> parked_rows(query& q) {
    std::vector<parked_delivery> out;
    while (q->step()) out.push_back(parked_row(*q));
    return out;
}

void count_dead_letter(connection& c, const std::string& sink) {
    auto q = c.prepare(
        "INSERT INTO dead_letter_totals(sink, total) VALUES(?1, 1)"
        " ON CONFLICT(sink) DO UPDATE SET total = total + 1");
    q->bind_all(sink);
    q->step();
}

}  // namespace

int64_t sql_view::outbox_backlog(int64_t after_id) {
    auto q = c_.prepare("SELECT count(*) FROM outbox WHERE id > ?1");
    q->bind_all(after_id);
    q->step();
    return q->column_int(0);
}

std::vector<parked_delivery> sql_view::due_deliveries(const std::string& sink, int64_t now_ms, std::size_t limit) {
    static const std::string sql =
        std::string(select_parked) + "WHERE sink = ?1 AND dead = 0 AND next_ms <= ?2 ORDER BY next_ms, id LIMIT ?3";
    auto q = c_.prepare(sql);
    q->bind_all(sink, now_ms, sql_limit(limit));
    return parked_rows(q);
}

std::vector<parked_delivery> sql_view::dead_letters(const std::string& sink, int64_t after_id, std::size_t limit) {
    static const std::string sql = std::string(select_parked) +
                                   "WHERE dead = 1 AND (?1 = '' OR sink = ?1) AND id > ?2 ORDER BY id LIMIT ?3";
    auto q = c_.prepare(sql);
    q->bind_all(sink, after_id, sql_limit(limit));
    return parked_rows(q);
}

std::vector<dead_letter_count> sql_view::dead_letter_counts() {
    auto q = c_.prepare(
        "SELECT t.sink, (SELECT count(*) FROM parked_deliveries p WHERE p.sink = t.sink AND p.dead = 1), t.total"
        " FROM dead_letter_totals t ORDER BY t.sink");
    std::vector<dead_letter_count> out;
    while (q->step()) out.push_back({q->column_text(0), q->column_int(1), q->column_int(2)});
    return out;
}

int64_t sql_view::park_delivery(const parked_delivery& d) {
    std::optional<std::pair<int64_t, bool>> known;
    {
        auto q = c_.prepare("SELECT id, dead FROM parked_deliveries WHERE sink = ?1 AND event_id = ?2 AND target = ?3");
        q->bind_all(d.sink, d.event.id, d.target);
        if (q->step()) known = std::make_pair(q->column_int(0), q->column_int(1) != 0);
    }
    if (d.dead && !(known && known->second)) count_dead_letter(c_, d.sink);
    if (known) {
        auto q = c_.prepare(
            "UPDATE parked_deliveries SET dead = ?2, attempts = ?3, first_failed_ms = ?4, next_ms = ?5, reason = ?6"
            " WHERE id = ?1");
        q->bind_all(known->first, int64_t{d.dead}, d.attempts, d.first_failed_ms, d.next_ms, d.reason);
        q->step();
        return known->first;
    }
    auto q = c_.prepare(
        "INSERT INTO parked_deliveries(sink, event_id, target, pool, identity, dataset, kind, payload, created_ms,"
        " dead, attempts, first_failed_ms, next_ms, reason)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id");
    const auto& e = d.event;
    q->bind_all(d.sink, e.id, d.target, e.pool, e.identity, e.dataset, e.kind, e.payload, e.created_ms,
                int64_t{d.dead}, d.attempts, d.first_failed_ms, d.next_ms, d.reason);
    q->step();
    int64_t id = q->column_int(0);
    while (q->step()) {
    }
    return id;
}

void sql_view::drop_parked(int64_t id) {
    auto q = c_.prepare("DELETE FROM parked_deliveries WHERE id = ?1");
    q->bind_all(id);
    q->step();
}

int64_t sql_view::replay_dead_letters(const std::string& sink, int64_t id, int64_t now_ms) {
    auto q = c_.prepare(
        "UPDATE parked_deliveries SET dead = 0, attempts = 0, first_failed_ms = ?3, next_ms = ?3"
        " WHERE dead = 1 AND (?1 = '' OR sink = ?1) AND (?2 = 0 OR id = ?2)");
    q->bind_all(sink, id, now_ms);
    q->step();
    return c_.changes();
}

}  // namespace cogsync::storage
