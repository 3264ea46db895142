#include "storage/sqlite/store_metrics.hpp"

#include <filesystem>
#include <system_error>

namespace cogsync::storage {
namespace {

// 0 for a file that is not there (no WAL between a truncating checkpoint and the next write).
double file_bytes(const std::string& path) {
    std::error_code ec;
    auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<double>(n);
}

metric_sample one(const char* family, const char* type, const char* help, double value) {
    return {family, type, help, "", {}, value};
}

}  // namespace

std::vector<metric_sample> store_metrics(const std::string& db_path, const writer_stats& writes) {
    std::vector<metric_sample> out{
        one("cogsync_database_bytes", "gauge", "Size of the SQLite database file.", file_bytes(db_path)),
        one("cogsync_wal_bytes", "gauge", "Size of the SQLite write-ahead log.", file_bytes(db_path + "-wal")),
        one("cogsync_write_batches_total", "counter", "Write transactions committed by the group commit.",
            static_cast<double>(writes.batches)),
        one("cogsync_write_jobs_total", "counter", "Write jobs run by the group commit.",
            static_cast<double>(writes.jobs)),
        one("cogsync_wal_rewinds_total", "counter",
            "Times the writer copied the last of the WAL so that the next commit starts it again.",
            static_cast<double>(writes.wal_rewinds)),
    };
    const char* family = "cogsync_write_batch_size";
    const char* help = "Write jobs per group-commit transaction.";
    uint64_t cumulative = 0;
    for (std::size_t i = 0; i < writes.by_size.size(); ++i) {
        cumulative += writes.by_size[i];
        auto le = i < writer_stats::batch_bounds.size() ? std::to_string(writer_stats::batch_bounds[i]) : "+Inf";
        out.push_back({family, "histogram", help, "_bucket", {{"le", le}}, static_cast<double>(cumulative)});
    }
    out.push_back({family, "histogram", help, "_sum", {}, static_cast<double>(writes.jobs)});
    out.push_back({family, "histogram", help, "_count", {}, static_cast<double>(writes.batches)});
    return out;
}

}  // namespace cogsync::storage
