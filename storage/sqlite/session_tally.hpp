#pragma once
// Sync sessions issued per pool since the last flush. count_session() is on the ListRecords path,
// so it only bumps an in-memory counter; the writer moves the tally into pool_sessions.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cogsync::storage {

class session_tally {
public:
    using counts = std::unordered_map<std::string, int64_t>;

    void add(const std::string& pool);
    // Empties the tally and returns what it held.
    counts take();
    // Puts back counts whose flush did not commit, so none are lost.
    void restore(const counts& c);
    bool empty() const;

private:
    mutable std::mutex mu_;
    counts pending_;
};

}  // namespace cogsync::storage
