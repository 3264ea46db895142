// pg_view for deliveries a sink set aside: push retries per device and dead letters.
#include "storage/pg/pg_view.hpp"

namespace cogsync::storage {
namespace {

constexpr const char* select_parked =
    "SELECT id, sink, target, event_id, pool, identity, dataset, kind, payload, created_ms, dead, attempts,"
    " first_failed_ms, next_ms, reason FROM parked_deliveries ";

std::vector<parked_delivery> parked_rows(const pg_rows& r) {
    std::vector<parked_delivery> out;
    for (int i = 0; i < r.size(); ++i) {
        parked_delivery d;
        d.id = r.integer(i, 0);
        d.sink = r.text(i, 1);
        d.target = r.text(i, 2);
        d.event = {r.integer(i, 3), r.text(i, 4), r.text(i, 5), r.text(i, 6), r.text(i, 7), r.text(i, 8),
                   r.integer(i, 9)};
        d.dead = r.integer(i, 10) != 0;
        d.attempts = r.integer(i, 11);
        d.first_failed_ms = r.integer(i, 12);
        d.next_ms = r.integer(i, 13);
        d.reason = r.text(i, 14);
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

int64_t pg_view::outbox_backlog(int64_t after_id) {
    return c_.exec("SELECT count(*) FROM outbox WHERE id > $1", after_id).integer(0, 0);
}

std::vector<parked_delivery> pg_view::due_deliveries(const std::string& sink, int64_t now_ms, std::size_t limit) {
    static const std::string sql =
        std::string(select_parked) + "WHERE sink = $1 AND dead = 0 AND next_ms <= $2 ORDER BY next_ms, id LIMIT $3";
    return parked_rows(c_.exec(sql, sink, now_ms, pg_limit(limit)));
}

std::vector<parked_delivery> pg_view::dead_letters(const std::string& sink, int64_t after_id, std::size_t limit) {
    static const std::string sql = std::string(select_parked) +
                                   "WHERE dead = 1 AND ($1::text = '' OR sink = $1) AND id > $2 ORDER BY id LIMIT $3";
    return parked_rows(c_.exec(sql, sink, after_id, pg_limit(limit)));
}

std::vector<dead_letter_count> pg_view::dead_letter_counts() {
    auto r = c_.exec(
        "SELECT t.sink, (SELECT count(*) FROM parked_deliveries p WHERE p.sink = t.sink AND p.dead = 1), t.total"
        " FROM dead_letter_totals t ORDER BY t.sink");
    std::vector<dead_letter_count> out;
    for (int i = 0; i < r.size(); ++i) out.push_back({r.text(i, 0), r.integer(i, 1), r.integer(i, 2)});
    return out;
}

// Under a lock of the sink, so that the check whether the delivery was dead already and the
// count of a new dead letter agree with concurrent writers.
int64_t pg_view::park_delivery(const parked_delivery& d) {
    lock("parked\x1f" + d.sink);
    auto known = c_.exec("SELECT id, dead FROM parked_deliveries WHERE sink = $1 AND event_id = $2 AND target = $3",
                         d.sink, d.event.id, d.target);
    if (d.dead && (known.empty() || known.integer(0, 1) == 0))
        c_.exec("INSERT INTO dead_letter_totals(sink, total) VALUES($1, 1)"
                " ON CONFLICT(sink) DO UPDATE SET total = dead_letter_totals.total + 1",
                d.sink);
    if (!known.empty()) {
        const int64_t id = known.integer(0, 0);
        c_.exec("UPDATE parked_deliveries SET dead = $2, attempts = $3, first_failed_ms = $4, next_ms = $5, reason = $6"
                " WHERE id = $1",
                id, d.dead, d.attempts, d.first_failed_ms, d.next_ms, d.reason);
        return id;
    }
    const auto& e = d.event;
    return c_.exec(
                 "INSERT INTO parked_deliveries(sink, event_id, target, pool, identity, dataset, kind, payload,"
                 " created_ms, dead, attempts, first_failed_ms, next_ms, reason)"
                 " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                 d.sink, e.id, d.target, e.pool, e.identity, e.dataset, e.kind, e.payload, e.created_ms, d.dead,
                 d.attempts, d.first_failed_ms, d.next_ms, d.reason)
        .integer(0, 0);
}

void pg_view::drop_parked(int64_t id) { c_.exec("DELETE FROM parked_deliveries WHERE id = $1", id); }

int64_t pg_view::replay_dead_letters(const std::string& sink, int64_t id, int64_t now_ms) {
    return c_.exec("UPDATE parked_deliveries SET dead = 0, attempts = 0, first_failed_ms = $3, next_ms = $3"
                   " WHERE dead = 1 AND ($1::text = '' OR sink = $1) AND ($2::bigint = 0 OR id = $2)",
                   sink, id, now_ms)
        .affected();
}

}  // namespace cogsync::storage
