#pragma once
// What an operation hands back: its answer, or the next thing that must happen before it can
// answer. Reads answer at once. A write hands a job to the store and says how to go on once the
// job's transaction is over; a Sync Trigger call must run off the threads that serve requests
// (it may wait on the network for seconds). The server drives the steps (server/http_session)
// and nothing in the API layer ever blocks a thread waiting for a commit.
//
// A continuation runs on the request's own strand, after the step before it finished; it may
// throw api_error like any operation (api/handle_request.hpp turns that into the answer).
#include <functional>
#include <string>
#include <variant>

#include "api/request.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api {

struct step;
using continuation = std::function<step()>;

// Runs `job` in a store transaction, then `then`. A job reports expected outcomes (conflict,
// limit, not found) through state it shares with `then`, never by throwing: a job's exception
// is a failure and becomes the answer instead of `then`.
struct write_step {
    storage::record_store::write_job job;
    continuation then;
};

// Runs `run` on the outbound executor, at most a few at a time per `pool` (the key of the
// concurrency cap), so one pool's slow function delays only the calls that wait for it.
struct outbound_step {
    std::string pool;
    continuation run;
};

struct step {
    step(response r) : next(std::move(r)) {}  // NOLINT: an answer is a step
    step(write_step w) : next(std::move(w)) {}  // NOLINT
    step(outbound_step o) : next(std::move(o)) {}  // NOLINT
    std::variant<response, write_step, outbound_step> next;
};

}  // namespace cogsync::api
