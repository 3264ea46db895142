#include "api/write_then.hpp"

#include <memory>
#include <optional>

#include "api/api_error.hpp"

namespace cogsync::api {

step write_then(storage::record_store::write_job job, continuation then) {
    auto refused = std::make_shared<std::optional<api_error>>();
    write_step w;
    w.job = [job = std::move(job), refused](storage::write_view& v) {
        refused->reset();  // a job may run again (storage/record_store.hpp)
        try {
            return job(v);
        } catch (const api_error& e) {
            *refused = e;
            return false;
        }
    };
    w.then = [then = std::move(then), refused]() -> step {
        if (*refused) throw **refused;
        return then();
    };
    return w;
}

}  // namespace cogsync::api
