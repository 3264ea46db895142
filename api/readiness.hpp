#pragma once
// GET /ready, for load balancers and orchestrators: 200 {"status":"ready"} while the server
// serves (the store is open and migrated, the listener bound), 503 with Retry-After once it is
// not: {"status":"starting"} before it listens, {"status":"draining"} after SIGTERM,
// {"status":"store unreachable"} while its database cannot be reached (README, "Health and
// metrics"). GET /health answers 200 whenever the process answers at all.
#include <atomic>
#include <functional>

#include "api/request.hpp"

namespace cogsync::api {

struct readiness {
    std::atomic<bool> listening{false};
    std::function<bool()> draining;  // null: never drains
    std::function<bool()> store_reachable;  // null: always (an embedded store)
};

// r null: a context without a server around it (tests) is ready.
response ready_response(const readiness* r);

}  // namespace cogsync::api
