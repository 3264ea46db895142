#include "api/readiness.hpp"

namespace cogsync::api {

response ready_response(const readiness* r) {
    const char* state = !r                                 ? nullptr
                        : !r->listening.load()             ? "starting"
                        : r->draining && r->draining()     ? "draining"
                        : r->store_reachable && !r->store_reachable() ? "store unreachable"
                                                           : nullptr;
    if (!state) return response{200, {}, R"({"status":"ready"})"};
    return response{503, {{"Retry-After", "1"}}, std::string(R"({"status":")") + state + "\"}"};
}

}  // namespace cogsync::api
