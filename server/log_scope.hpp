#pragma once
// The request a thread is working for, named on every line logged meanwhile (the text format's
// "[ID]", the JSON format's "request_id"). spdlog 1.10 has no mapped diagnostic context, so the
// session opens a scope wherever it runs one of its request's steps (server/http_session.cpp):
// the API call, each completion back on its strand, and the Sync Trigger call on an outbound
// thread. Scopes nest; closing one restores the id before it.
#include <string_view>

namespace cogsync::server {

class request_log_scope {
public:
    // `request_id` must outlive the scope (the session's request does).
    explicit request_log_scope(std::string_view request_id) noexcept;
    ~request_log_scope();
    request_log_scope(const request_log_scope&) = delete;
    request_log_scope& operator=(const request_log_scope&) = delete;

    // The id of the innermost scope open on this thread; empty outside any.
    static std::string_view current() noexcept;

private:
    std::string_view previous_;
};

}  // namespace cogsync::server
