#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cogsync::bench {

// What one phase does (bench/README.md "Phases"):
//   sync      ListRecords then UpdateRecords with its token, the device's sync cycle
//   health    GET /health, the ceiling of the HTTP stack
//   list      delta ListRecords only, from the count the client last saw
//   update    UpdateRecords only, with session tokens fetched before the warm-up
//   populate  writes every key of every private dataset once, then stops (not timed)
//   trigger   a pool Sync Trigger, slow writers on one identity, health and ListRecords measured
enum class phase_kind { sync, health, list, update, populate, trigger };

const char* phase_name(phase_kind kind);

// Everything the load generator can be told on the command line. Defaults give a run of about
// 25 s (2 s warm-up + 10 s per phase) that still exercises conflicts on the hot datasets.
struct bench_options {
    std::string host = "127.0.0.1";
    std::string port = "8080";
    // More servers (host, port) that share one store: connection i goes to server i mod N, the
    // first being host:port above. Empty: every connection goes to host:port.
    std::vector<std::pair<std::string, std::string>> more_servers;
    int connections = 64;
    int threads = 1;
    double duration_s = 10.0;
    double warmup_s = 2.0;
    int identities = 2000;
    int datasets_per_identity = 3;
    int keys_per_dataset = 8;
    int hot_datasets = 4;          // datasets every client may write, the source of 409s
    double hot_fraction = 0.1;     // share of sync cycles that target a hot dataset
    int max_patches = 4;
    int min_value_bytes = 10;
    int max_value_bytes = 200;
    int max_attempts = 4;          // list+update attempts per cycle before giving up on conflicts
    std::vector<phase_kind> phases{phase_kind::sync, phase_kind::health};
    // The private datasets are in the state the populate phase leaves them in (DatasetSyncCount 1,
    // every key at SyncCount 1), so a client that has not listed one yet still knows its count.
    bool populated = false;
    double prefetch_s = -1;        // update phase: seconds spent fetching tokens; < 0: warm-up + duration
    int trigger_writers = 64;      // trigger phase: concurrent UpdateRecords of the trigger identity
    double observer_rate = 10;     // trigger phase: requests/s each measured connection sends
    std::string trigger_arn = "arn:aws:lambda:us-east-1:123456789012:function:slow";
    std::uint64_t seed = 42;
    std::string pool_id = "us-east-1:00000000-0000-0000-0000-00000000beef";
    bool json = false;
    std::string label;             // free text copied into the report (e.g. "durability=full")
};

// Parses argv. Returns the options, or nothing after printing help or an error; `exit_code` is
// then what main should return.
std::optional<bench_options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace cogsync::bench
