#include "storage/record_store.hpp"

#include <future>

namespace cogsync::storage {

bool record_store::write(const write_job& job) {
    check_may_wait();
    std::promise<bool> result;
    auto outcome = result.get_future();
    write_async(job, [&result](bool kept, std::exception_ptr error) {
        if (error) result.set_exception(error);
        else result.set_value(kept);
    });
    return outcome.get();
}

void record_store::drain() {
    write([](write_view&) { return true; });
}

std::string record_store::node_secret(const std::string& name, const std::function<std::string()>& make) {
    if (auto known = read([&](read_view& v) { return v.node_value(name); })) return *known;
    const std::string fresh = make();
    std::string out;
    write([&](write_view& v) {
        auto raced = v.node_value(name);
        out = raced ? *raced : fresh;
        if (!raced) v.save_node_value(name, fresh);
        return true;
    });
    return out;
}

}  // namespace cogsync::storage
