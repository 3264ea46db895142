#pragma once
// Progress of a long command-line job on stderr. On a terminal: one line redrawn in place, a bar
// with lines/s and the ETA. Otherwise (a log, a pipe): a plain line every few seconds or every
// many lines, so logs stay short. finish() prints the summary line either way.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace cogsync::server {

class progress {
public:
    // `total` is the expected amount of work in the units update() reports (bytes of an import
    // file, lines of an export); 0 = unknown (no bar, no ETA).
    progress(std::FILE* out, std::string name, int64_t total, bool terminal);
    // Cheap enough to call for every line.
    void update(int64_t lines, int64_t done);
    void finish(const std::string& summary);
    double elapsed_seconds() const;

    static constexpr int64_t plain_every_lines = 50000;
    static constexpr int plain_every_seconds = 5;

private:
    void draw(int64_t lines, int64_t done, double seconds);
    std::FILE* out_;
    std::string name_;
    int64_t total_;
    bool terminal_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_ = start_;
    int64_t last_lines_ = 0;
    bool drawn_ = false;
};

// "1.2s", "3m04s": an elapsed time or ETA for people.
std::string human_seconds(double seconds);

}  // namespace cogsync::server
