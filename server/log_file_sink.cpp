#include "server/log_file_sink.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace cogsync::server {

namespace {

constexpr mode_t log_file_mode = 0640;

// The descriptor, or -errno. A file created here gets exactly 0640 whatever the umask.
int open_log(const std::string& path) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, log_file_mode);
        if (fd >= 0) {
            ::fchmod(fd, log_file_mode);
            return fd;
        }
        if (errno != EEXIST) return -errno;
        fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd >= 0 || errno != ENOENT) return fd >= 0 ? fd : -errno;
        // removed between the two calls: create it again
    }
    return -ENOENT;
}

}  // namespace

log_file_sink::log_file_sink(std::string path) : path_(std::move(path)) {
    fd_ = open_log(path_);
    if (fd_ < 0) throw std::runtime_error("cannot open the log file " + path_ + ": " + std::strerror(-fd_));
}

log_file_sink::~log_file_sink() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> log_file_sink::reopen() {
    int fd = open_log(path_);
    if (fd < 0) return "cannot reopen the log file " + path_ + ": " + std::strerror(-fd);
    std::lock_guard<std::mutex> lock(mutex_);
    ::close(fd_);
    fd_ = fd;
    return std::nullopt;
}

// A failed write cannot be logged; the line is lost, the server goes on.
void log_file_sink::sink_it_(const spdlog::details::log_msg& msg) {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    const char* at = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        ssize_t n = ::write(fd_, at, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        at += n;
        left -= static_cast<std::size_t>(n);
    }
}

}  // namespace cogsync::server
