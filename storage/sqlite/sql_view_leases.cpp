// sql_view for sink delivery leases (schema step 8, server/hooks/outbox_deliverer.hpp): the
// expiry is this machine's clock, the one every process sharing the file reads.
#include <chrono>

#include "storage/sqlite/sql_view.hpp"

namespace cogsync::storage {

// excluded.expires_ms - ttl is the time of the take: a lease that ran out by then is free.
bool sql_view::take_sink_lease(const std::string& sink, const std::string& holder, int64_t ttl_ms) {
    using namespace std::chrono;
    const int64_t now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    auto q = c_.prepare(
        "INSERT INTO sink_leases(sink, holder, expires_ms) VALUES(?1, ?2, ?3 + ?4) "
        "ON CONFLICT(sink) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms "
        "WHERE sink_leases.holder = excluded.holder OR sink_leases.expires_ms <= excluded.expires_ms - ?4");
    q->bind_all(sink, holder, now, ttl_ms);
    q->step();
    return c_.changes() == 1;
}

void sql_view::release_sink_lease(const std::string& sink, const std::string& holder) {
    auto q = c_.prepare("DELETE FROM sink_leases WHERE sink = ?1 AND holder = ?2");
    q->bind_all(sink, holder);
    q->step();
}

}  // namespace cogsync::storage
