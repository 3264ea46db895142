#include "server/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "server/log_file_sink.hpp"
#include "server/log_format.hpp"

namespace cogsync::server {

void start_logging(const config::settings& s) {
    spdlog::sink_ptr sink;
    if (!s.log_file.empty()) sink = std::make_shared<log_file_sink>(s.log_file);
    else if (s.log_format == "json") sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    else sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    sink->set_formatter(s.log_format == "json" ? json_log_formatter() : text_log_formatter());
    auto logger = std::make_shared<spdlog::logger>("cogsync", std::move(sink));
    logger->set_level(spdlog::level::from_str(s.log_level));
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(std::move(logger));
}

void reopen_log_file() {
    for (const auto& sink : spdlog::default_logger()->sinks()) {
        auto* file = dynamic_cast<log_file_sink*>(sink.get());
        if (!file) continue;
        if (auto error = file->reopen()) spdlog::error("SIGHUP: {}; still writing to the file opened before", *error);
        else spdlog::info("SIGHUP: log file {} reopened", file->path());
        return;
    }
    spdlog::info("SIGHUP: no --log-file to reopen");
}

}  // namespace cogsync::server
