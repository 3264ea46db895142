#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cogsync::bench {

enum class bench_mode { sync, health, both };

// Everything the load generator can be told on the command line. Defaults give a run of about
// 25 s (2 s warm-up + 10 s per phase) that still exercises conflicts on the hot datasets.
struct bench_options {
    std::string host = "127.0.0.1";
    std::string port = "8080";
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
    bench_mode mode = bench_mode::both;
    std::uint64_t seed = 42;
    std::string pool_id = "us-east-1:00000000-0000-0000-0000-00000000beef";
    bool json = false;
    std::string label;             // free text copied into the report (e.g. "durability=full")
};

// Parses argv. Returns the options, or nothing after printing help or an error; `exit_code` is
// then what main should return.
std::optional<bench_options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace cogsync::bench
