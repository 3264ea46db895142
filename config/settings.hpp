#pragma once
// Every setting of the daemon, with its default. Filled from flags, then environment variables,
// then these defaults (config/parse_settings.cpp), and validated there.
#include <cstdint>
#include <string>

namespace cogsync::config {

struct settings {
    std::string listen_host = "127.0.0.1";
    uint16_t listen_port = 8080;             // 0 = any free port
    std::string data_dir = "./cogsync-data";
    int io_threads = 2;                      // HTTP I/O threads
    int workers = 32;                        // request workers (store reads, waiting on commits)
    std::string durability = "full";         // full | normal
    std::size_t max_body_bytes = 8u << 20;
    std::size_t max_header_bytes = 16u << 10;
    int read_timeout_ms = 30000;             // whole request, from its first byte
    int idle_timeout_ms = 60000;             // keep-alive connection waiting for a request
    std::size_t max_connections = 4096;
    int session_ttl_seconds = 300;           // SyncSessionToken lifetime (PROTOCOL.md 5.5)
    int64_t max_datasets = 20;               // per identity (PROTOCOL.md 6.1)
    int64_t max_records = 1024;              // live records per dataset
    int64_t max_dataset_bytes = 1048576;     // UTF-8 key+value bytes per dataset
    std::string log_level = "info";          // trace | debug | info | warn | error
};

}  // namespace cogsync::config
