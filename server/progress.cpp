#include "server/progress.hpp"

#include <cmath>

namespace cogsync::server {

std::string human_seconds(double seconds) {
    char buf[32];
    if (seconds < 60) std::snprintf(buf, sizeof buf, "%.1fs", seconds);
    else std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(seconds) / 60,
                       static_cast<long long>(seconds) % 60);
    return buf;
}

progress::progress(std::FILE* out, std::string name, int64_t total, bool terminal)
    : out_(out), name_(std::move(name)), total_(total), terminal_(terminal) {}

double progress::elapsed_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void progress::update(int64_t lines, int64_t done) {
    if (lines % 256 != 0 && lines - last_lines_ < plain_every_lines) return;  // the clock costs more than a line
    const auto now = std::chrono::steady_clock::now();
    const auto since = now - last_;
    // A terminal shows the bar from the first lines on, then redraws it five times a second.
    const bool due = terminal_ ? !drawn_ || since >= std::chrono::milliseconds(200)
                               : since >= std::chrono::seconds(plain_every_seconds) ||
                                     lines - last_lines_ >= plain_every_lines;
    if (!due) return;
    last_ = now;
    last_lines_ = lines;
    draw(lines, done, std::chrono::duration<double>(now - start_).count());
}

void progress::draw(int64_t lines, int64_t done, double seconds) {
    const double rate = seconds > 0 ? static_cast<double>(lines) / seconds : 0;
    std::string eta;
    double share = 0;
    if (total_ > 0 && done > 0) {
        share = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
        eta = ", ETA " + human_seconds(seconds * (1 - share) / share);
    }
    if (terminal_) {
        std::string bar(30, ' ');
        for (int i = 0; i < static_cast<int>(share * 30); ++i) bar[i] = '#';
        std::fprintf(out_, "\r%s [%s] %3d%% %lld lines, %.0f lines/s%s\x1b[K", name_.c_str(), bar.c_str(),
                     static_cast<int>(share * 100), static_cast<long long>(lines), rate, eta.c_str());
        drawn_ = true;
    } else {
        std::fprintf(out_, "%s: %lld lines, %.0f lines/s%s\n", name_.c_str(), static_cast<long long>(lines), rate,
                     eta.c_str());
    }
    std::fflush(out_);
}

void progress::finish(const std::string& summary) {
    if (drawn_) std::fputs("\r\x1b[K", out_);
    std::fprintf(out_, "%s: %s, elapsed %s\n", name_.c_str(), summary.c_str(), human_seconds(elapsed_seconds()).c_str());
    std::fflush(out_);
}

}  // namespace cogsync::server
