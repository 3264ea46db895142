#pragma once
// How the embedded SQLite engine is opened and tuned.
#include <cstddef>
#include <cstdint>
#include <string>

namespace cogsync::storage {

enum class durability { full, normal };

struct store_options {
    std::string path;                        // database file; its directory must exist
    durability sync = durability::full;      // full = synchronous=FULL (survives power loss)
    std::size_t max_batch = 256;             // most writes committed together
    int checkpoint_interval_ms = 200;        // background PASSIVE checkpoint period
    int64_t wal_truncate_bytes = 64 << 20;   // WAL larger than this gets a TRUNCATE checkpoint
};

}  // namespace cogsync::storage
