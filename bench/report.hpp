#pragma once

#include "bench/options.hpp"
#include "bench/runner.hpp"

#include <ostream>
#include <vector>

namespace cogsync::bench {

// Human-readable tables: per operation count, req/s, p50/p90/p99/max ms, conflicts, errors by
// status; then the sync-to-health ratios when both phases ran.
void print_text_report(std::ostream& out, const bench_options& options,
                       const std::vector<phase_result>& phases);

// The same figures as one JSON object (bench/run.sh turns it into the README table with jq).
void print_json_report(std::ostream& out, const bench_options& options,
                       const std::vector<phase_result>& phases);

}  // namespace cogsync::bench
