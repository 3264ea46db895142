#pragma once
// The daemon's logger "cogsync" as the settings ask: --log-format text|json (server/log_format.hpp),
// --log-file PATH or stderr, --log-level; every line written at once.
#include "config/settings.hpp"

namespace cogsync::server {

// Installs the default logger; throws std::runtime_error when the log file cannot be opened.
void start_logging(const config::settings& s);

// SIGHUP: reopens the log file, logging the outcome; without --log-file, does nothing.
void reopen_log_file();

}  // namespace cogsync::server
