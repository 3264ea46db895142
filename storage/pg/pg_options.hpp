#pragma once
// How the PostgreSQL store is reached and sized.
#include <chrono>
#include <cstddef>
#include <string>

namespace cogsync::storage {

struct pg_options {
    std::string url;              // postgres://user:password@host:port/database?options
    std::size_t writers = 8;      // threads (each with its connection) running write jobs
    std::size_t readers = 8;      // most connections reading snapshots at once
    std::chrono::milliseconds flush_interval{1000};   // session counts reach the database this often
    std::chrono::milliseconds purge_interval{60000};  // expired used_sessions rows are purged
};

}  // namespace cogsync::storage
