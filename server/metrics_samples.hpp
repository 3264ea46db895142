#pragma once
// What the server reports at every GET /metrics besides the API's counters (api/metrics.hpp):
// open connections and the request-byte budget in use, and per sink its outbox backlog, dead
// letters held and failed delivery attempts. Sinks are labelled by their cursor name
// ("sink.<name>" from the hooks file, "internal.bulk-status"): operator names, never user ids.
#include <vector>

#include "server/connection_registry.hpp"
#include "server/hooks/outbox_deliverer.hpp"
#include "storage/metric_sample.hpp"
#include "storage/record_store.hpp"

namespace cogsync::server {

std::vector<storage::metric_sample> server_samples(const connection_registry& connections,
                                                   const outbox_deliverer& outbox, storage::record_store& store);

}  // namespace cogsync::server
