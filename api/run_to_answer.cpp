#include "api/run_to_answer.hpp"

#include <future>

#include "api/handle_request.hpp"

namespace cogsync::api {

response run_to_answer(const request& req, context& ctx) { return run_to_answer(req, ctx, handle_request(req, ctx)); }

response run_to_answer(const request& req, context& ctx, step s) {
    for (;;) {
        if (auto* r = std::get_if<response>(&s.next)) return std::move(*r);
        if (auto* o = std::get_if<outbound_step>(&s.next)) {
            s = resume_request(req, o->run);
            continue;
        }
        auto& w = std::get<write_step>(s.next);
        std::exception_ptr error;
        try {
            ctx.store.write(w.job);
        } catch (...) {
            error = std::current_exception();
        }
        s = resume_request(req, w.then, error);
    }
}

}  // namespace cogsync::api
