// sql_view for stream payloads beyond Kinesis's record limit (schema step 7,
// api/stream_payloads.hpp).
#include "storage/sqlite/sql_view.hpp"

namespace cogsync::storage {

std::optional<std::string> sql_view::find_stream_payload(const std::string& id, int64_t expires_s) {
    auto q = c_.prepare("SELECT body FROM stream_payloads WHERE id = ?1 AND expires_s = ?2");
    q->bind_all(id, expires_s);
    if (!q->step()) return std::nullopt;
    return q->column_text(0);
}

void sql_view::keep_stream_payload(const std::string& id, int64_t expires_s, const std::string& body) {
    auto q = c_.prepare(
        "INSERT INTO stream_payloads(id, expires_s, body) VALUES(?1, ?2, ?3) "
        "ON CONFLICT(id) DO UPDATE SET expires_s = excluded.expires_s, body = excluded.body");
    q->bind_all(id, expires_s, body);
    q->step();
}

int64_t sql_view::drop_expired_stream_payloads(int64_t now_s) {
    auto q = c_.prepare("DELETE FROM stream_payloads WHERE expires_s <= ?1");
    q->bind_all(now_s);
    q->step();
    return c_.changes();
}

}  // namespace cogsync::storage
