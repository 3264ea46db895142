#pragma once

#include "bench/histogram.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cogsync::bench {

// Operation names used as keys in phase_stats.
inline constexpr const char* op_list_records = "ListRecords";
inline constexpr const char* op_update_records = "UpdateRecords";
inline constexpr const char* op_sync_cycle = "SyncCycle";
inline constexpr const char* op_health = "Health";
// The trigger phase's writers, kept apart from the ListRecords it measures for everyone else.
inline constexpr const char* op_trigger_list = "TriggerList";
inline constexpr const char* op_trigger_update = "TriggerUpdate";

// Pseudo status recorded when a 200 answer does not have the documented shape.
inline constexpr int status_bad_body = -1;

// Outcome counters of one operation. Status 0 in errors_by_status means the request never got an
// HTTP answer (connect refused, reset, timeout, unparsable response).
struct op_stats {
    latency_histogram latency_;
    std::uint64_t ok_ = 0;
    // 409 ResourceConflictException: expected, not an error. For SyncCycle: cycles that gave up
    // after --max-attempts conflicts in a row.
    std::uint64_t conflicts_ = 0;
    std::map<int, std::uint64_t> errors_by_status_;

    std::uint64_t completed() const { return latency_.count(); }
    std::uint64_t errors() const;
    void merge(const op_stats& other);
};

// What one thread (or, after merging, a whole phase) measured. Only operations that started
// after the warm-up and finished before the deadline are recorded.
struct phase_stats {
    std::map<std::string, op_stats> ops_;
    std::uint64_t reconnects_ = 0;
    // HTTP requests finished in each measured second, and the slowest of them (us): a stall
    // (checkpoint, lock, GC of sessions) shows as a dip here rather than only as a p99.
    std::vector<std::uint64_t> requests_per_second_;
    std::vector<std::uint64_t> max_micros_per_second_;

    op_stats& op(const std::string& name) { return ops_[name]; }
    void record_second(std::size_t second, std::uint64_t micros);
    void merge(const phase_stats& other);

private:
    void grow_to(std::size_t seconds);
};

}  // namespace cogsync::bench
