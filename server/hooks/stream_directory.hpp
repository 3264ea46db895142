#pragma once
// Stream transport "directory": one newline-delimited JSON file per stream, `<dir>/<StreamName>.ndjson`,
// lines as the file transport writes them (server/hooks/file_stream.hpp). The embedded default
// stream sink of a server started without a hooks file (`<data-dir>/streams`, every StreamName),
// so that Cognito Streams and BulkPublish work in a dev stack out of the box. A StreamName that
// is not a plain file name (API validation admits only [a-zA-Z0-9_.-]+, but not ".." or one stored
// before that rule) is refused: the record fails and is retried.
#include <map>
#include <memory>
#include <string>

#include "config/hooks_config.hpp"
#include "server/hooks/file_stream.hpp"

namespace cogsync::server {

class stream_directory : public stream_transport {
public:
    explicit stream_directory(const config::hook_section& h);
    void put(const stream_put& r) override;

private:
    config::hook_section section_;  // the template of each stream's file section
    std::map<std::string, std::unique_ptr<file_stream>> files_;  // by StreamName, opened on first use
};

}  // namespace cogsync::server
