// pg_view for sink delivery leases (schema step 5, server/hooks/outbox_deliverer.hpp). The
// expiry is the database server's clock, so nodes whose clocks differ still agree on it.
#include "storage/pg/pg_view.hpp"

namespace cogsync::storage {

// excluded.expires_ms - ttl is the time of the take: a lease that ran out by then is free.
bool pg_view::take_sink_lease(const std::string& sink, const std::string& holder, int64_t ttl_ms) {
    return c_.exec("INSERT INTO sink_leases(sink, holder, expires_ms) "
                   "SELECT $1, $2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint + $3 "
                   "ON CONFLICT(sink) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms "
                   "WHERE sink_leases.holder = excluded.holder OR sink_leases.expires_ms <= excluded.expires_ms - $3",
                   sink, holder, ttl_ms)
               .affected() == 1;
}

void pg_view::release_sink_lease(const std::string& sink, const std::string& holder) {
    c_.exec("DELETE FROM sink_leases WHERE sink = $1 AND holder = $2", sink, holder);
}

}  // namespace cogsync::storage
