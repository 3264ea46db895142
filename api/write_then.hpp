#pragma once
// The write step of an operation whose job checks and refuses with api_error (not found, limit,
// duplicate request): the refusal leaves the job as a value, the job's changes are rolled back,
// and it is raised again, as the answer, on the request's strand, in place of `then`.
#include "api/step.hpp"

namespace cogsync::api {

step write_then(storage::record_store::write_job job, continuation then);

}  // namespace cogsync::api
