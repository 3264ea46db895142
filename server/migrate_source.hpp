#pragma once
// The transport of `cogsync migrate` (api/migrate/source_api.hpp): each request signed with SigV4
// (server/hooks/outbound_sigv4.hpp) for its service, sent no faster than max_rps requests a second,
// and sent again with a growing delay (server/backoff.hpp) after throttling (429, or 400
// TooManyRequestsException / ThrottlingException, as Cognito Identity answers it), a 5xx or a
// transport failure, up to max_attempts times. Synchronous: a command-line tool's single thread.
#include <chrono>
#include <cstdint>
#include <string>

#include "api/migrate/source_api.hpp"

namespace cogsync::server {

struct source_credentials {
    std::string access_key;
    std::string secret_key;
    std::string session_token;  // "" = none
};

// From an AWS shared credentials file (aws_access_key_id, aws_secret_access_key,
// aws_session_token in [profile]) when `file` is given, else from AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. Throws when no key is found.
source_credentials load_source_credentials(const std::string& file, const std::string& profile);

struct source_settings {
    std::string endpoint;  // "" = AWS's: https://cognito-identity.<region>.amazonaws.com and cognito-sync.
    std::string region;
    source_credentials credentials;
    double max_rps = 10;
    int max_attempts = 8;
    std::chrono::milliseconds timeout{30000};
};

class migrate_source {
public:
    explicit migrate_source(source_settings s);
    api::migrate::source_reply operator()(const api::migrate::source_request& r);
    int64_t retries() const { return retries_; }

private:
    void wait_turn();
    source_settings s_;
    std::chrono::steady_clock::time_point next_ = std::chrono::steady_clock::now();
    int64_t retries_ = 0;
};

}  // namespace cogsync::server
