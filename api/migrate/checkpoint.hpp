#pragma once
// What `cogsync migrate` has carried over (README "Migrating off AWS"): per identity, the run that
// last finished it and the sync count each of its datasets had then. A run that stopped part-way
// is resumed (identities finished by that run are skipped); a run after a finished one is a delta
// run (every identity is visited again, each dataset asked only for what changed after its count).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace cogsync::api::migrate {

struct identity_progress {
    int64_t run = 0;                          // the run that finished the identity
    std::map<std::string, int64_t> datasets;  // name -> sync count carried over
};

struct checkpoint {
    std::string source;  // the endpoint it was taken from
    int64_t run = 0;     // the current (or last) run
    bool complete = false;
    std::map<std::string, std::map<std::string, identity_progress>> pools;  // pool -> identity id -> progress

    // Starts a run: resumes the one that stopped, or begins the next. True when resuming.
    bool begin_run();
};

std::string to_json(const checkpoint& c);
// Throws std::invalid_argument on anything but a checkpoint.
checkpoint checkpoint_from_json(std::string_view text);

}  // namespace cogsync::api::migrate
