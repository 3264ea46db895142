#include "storage/sqlite/session_tally.hpp"

namespace cogsync::storage {

void session_tally::add(const std::string& pool) {
    std::lock_guard lock(mu_);
    ++pending_[pool];
}

session_tally::counts session_tally::take() {
    counts out;
    std::lock_guard lock(mu_);
    out.swap(pending_);
    return out;
}

void session_tally::restore(const counts& c) {
    std::lock_guard lock(mu_);
    for (const auto& [pool, n] : c) pending_[pool] += n;
}

bool session_tally::empty() const {
    std::lock_guard lock(mu_);
    return pending_.empty();
}

}  // namespace cogsync::storage
