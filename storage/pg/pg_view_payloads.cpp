// pg_view for stream payloads beyond Kinesis's record limit (schema step 4,
// api/stream_payloads.hpp): every node serves the URL any node handed out.
#include "storage/pg/pg_view.hpp"

namespace cogsync::storage {

std::optional<std::string> pg_view::find_stream_payload(const std::string& id, int64_t expires_s) {
    auto r = c_.exec("SELECT body FROM stream_payloads WHERE id = $1 AND expires_s = $2", id, expires_s);
    if (r.empty()) return std::nullopt;
    return r.text(0, 0);
}

void pg_view::keep_stream_payload(const std::string& id, int64_t expires_s, const std::string& body) {
    c_.exec("INSERT INTO stream_payloads(id, expires_s, body) VALUES($1, $2, $3) "
            "ON CONFLICT(id) DO UPDATE SET expires_s = excluded.expires_s, body = excluded.body",
            id, expires_s, body);
}

int64_t pg_view::drop_expired_stream_payloads(int64_t now_s) {
    return c_.exec("DELETE FROM stream_payloads WHERE expires_s <= $1", now_s).affected();
}

}  // namespace cogsync::storage
