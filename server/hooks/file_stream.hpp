#pragma once
// Stream transport "file": appends one line {"eventId","streamName","partitionKey","record":{..}}
// per record to `path` (created 0640 if missing), fsynced after each line when fsync = always.
// A crash between the write and the cursor update repeats the line: dedupe on eventId.

#include "config/hooks_config.hpp"
#include "server/hooks/sink.hpp"

namespace cogsync::server {

class file_stream : public stream_transport {
public:
    explicit file_stream(const config::hook_section& h);
    ~file_stream() override;
    void put(const stream_put& r) override;

private:
    std::string path_;
    bool fsync_;
    int fd_ = -1;
};

}  // namespace cogsync::server
