#pragma once
// Push transport "log": writes each push to the log at info level (for development and tests).
#include "config/hooks_config.hpp"
#include "server/hooks/sink.hpp"

namespace cogsync::server {

class log_push : public push_transport {
public:
    explicit log_push(const config::hook_section& h) : name_(h.name) {}
    void send(const push_message& m) override;

private:
    std::string name_;
};

}  // namespace cogsync::server
