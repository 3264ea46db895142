#pragma once
// --log-file: a sink appending each line to a file with one write(2), reopened on request
// (SIGHUP, server/app.cpp) for logrotate's move-and-create pattern: after `mv cogsync.log
// cogsync.log.1`, lines keep going to the moved file until reopen() opens a new cogsync.log.
// Writes and the reopen take the sink's lock, so every line lands in exactly one of the two files,
// the old one holding all lines logged before the switch. A file this sink creates gets mode
// 0640; an existing one (logrotate's `create`) keeps its own.
#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <optional>
#include <string>

namespace cogsync::server {

class log_file_sink : public spdlog::sinks::base_sink<std::mutex> {
public:
    // Throws std::runtime_error naming the path when the file cannot be opened.
    explicit log_file_sink(std::string path);
    ~log_file_sink() override;
    log_file_sink(const log_file_sink&) = delete;
    log_file_sink& operator=(const log_file_sink&) = delete;

    // Opens the path again and switches to it; on failure keeps the current file and returns why.
    std::optional<std::string> reopen();
    const std::string& path() const { return path_; }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override {}  // nothing is buffered

private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace cogsync::server
