#include "bench/stats.hpp"

namespace cogsync::bench {

std::uint64_t op_stats::errors() const {
    std::uint64_t total = 0;
    for (const auto& [status, n] : errors_by_status_) {
        total += n;
    }
    return total;
}

void op_stats::merge(const op_stats& other) {
    latency_.merge(other.latency_);
    ok_ += other.ok_;
    conflicts_ += other.conflicts_;
    for (const auto& [status, n] : other.errors_by_status_) {
        errors_by_status_[status] += n;
    }
}

void phase_stats::merge(const phase_stats& other) {
    for (const auto& [name, s] : other.ops_) {
        ops_[name].merge(s);
    }
    reconnects_ += other.reconnects_;
}

}  // namespace cogsync::bench
