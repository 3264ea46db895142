#include "server/log_scope.hpp"

namespace cogsync::server {

namespace {
thread_local std::string_view current_request;
}  // namespace

request_log_scope::request_log_scope(std::string_view request_id) noexcept : previous_(current_request) {
    current_request = request_id;
}

request_log_scope::~request_log_scope() { current_request = previous_; }

std::string_view request_log_scope::current() noexcept { return current_request; }

}  // namespace cogsync::server
