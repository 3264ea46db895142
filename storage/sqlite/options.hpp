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
    int64_t wal_rewind_bytes = 128 << 20;    // WAL content beyond this is rewound by the writer
    int64_t wal_truncate_bytes = 256 << 20;  // WAL file larger than this gets a TRUNCATE checkpoint
};

}  // namespace cogsync::storage
