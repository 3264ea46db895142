#include "bench/stats.hpp"

#include <algorithm>

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

void phase_stats::grow_to(std::size_t seconds) {
    if (seconds > requests_per_second_.size()) {
        requests_per_second_.resize(seconds, 0);
        max_micros_per_second_.resize(seconds, 0);
    }
}

void phase_stats::record_second(std::size_t second, std::uint64_t micros) {
    grow_to(second + 1);
    ++requests_per_second_[second];
    max_micros_per_second_[second] = std::max(max_micros_per_second_[second], micros);
}

void phase_stats::merge(const phase_stats& other) {
    grow_to(other.requests_per_second_.size());
    for (std::size_t i = 0; i < other.requests_per_second_.size(); ++i) {
        requests_per_second_[i] += other.requests_per_second_[i];
        max_micros_per_second_[i] = std::max(max_micros_per_second_[i], other.max_micros_per_second_[i]);
    }
    for (const auto& [name, s] : other.ops_) {
        ops_[name].merge(s);
    }
    reconnects_ += other.reconnects_;
}

}  // namespace cogsync::bench
