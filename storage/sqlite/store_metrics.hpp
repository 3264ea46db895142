#pragma once
// The embedded engine's monitoring samples (storage/metric_sample.hpp): the sizes of the database
// file and its WAL, read from the file system when called, and the group commit's counters.
#include <string>
#include <vector>

#include "storage/metric_sample.hpp"
#include "storage/sqlite/writer.hpp"

namespace cogsync::storage {

std::vector<metric_sample> store_metrics(const std::string& db_path, const writer_stats& writes);

}  // namespace cogsync::storage
