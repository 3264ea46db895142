#include "server/migrate_source.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "server/backoff.hpp"
#include "server/hooks/http_client.hpp"
#include "server/hooks/outbound_sigv4.hpp"

namespace cogsync::server {
namespace {

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool retryable(unsigned status, const std::string& body) {
    if (status == 429 || status >= 500) return true;
    return status == 400 && (body.find("TooManyRequestsException") != std::string::npos ||
                             body.find("ThrottlingException") != std::string::npos);
}

}  // namespace

source_credentials load_source_credentials(const std::string& file, const std::string& profile) {
    source_credentials c;
    if (file.empty()) {
        c = {env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")};
    } else {
        std::ifstream in(file);
        if (!in) throw std::runtime_error("cannot read " + file);
        std::string line;
        bool inside = false;
        while (std::getline(in, line)) {
            line = trimmed(line);
            if (line.empty() || line[0] == '#' || line[0] == ';') continue;
            if (line.front() == '[') {
                inside = trimmed(line.substr(1, line.find(']') - 1)) == profile;
                continue;
            }
            const auto eq = line.find('=');
            if (!inside || eq == std::string::npos) continue;
            const auto key = trimmed(line.substr(0, eq)), value = trimmed(line.substr(eq + 1));
            if (key == "aws_access_key_id") c.access_key = value;
            else if (key == "aws_secret_access_key") c.secret_key = value;
            else if (key == "aws_session_token") c.session_token = value;
        }
    }
    if (c.access_key.empty() || c.secret_key.empty())
        throw std::runtime_error(file.empty() ? "no source credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                                                "or pass --source-credentials"
                                              : "no aws_access_key_id and aws_secret_access_key in [" + profile +
                                                    "] of " + file);
    return c;
}

migrate_source::migrate_source(source_settings s) : s_(std::move(s)) {}

// Requests start at least 1/max_rps apart, retries included: no burst after an idle spell.
void migrate_source::wait_turn() {
    auto now = std::chrono::steady_clock::now();
    if (next_ > now) {
        std::this_thread::sleep_until(next_);
        now = std::chrono::steady_clock::now();
    }
    next_ = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(1.0 / s_.max_rps));
}

api::migrate::source_reply migrate_source::operator()(const api::migrate::source_request& r) {
    const auto base = s_.endpoint.empty() ? "https://" + r.service + "." + s_.region + ".amazonaws.com" : s_.endpoint;
    backoff delay(std::chrono::milliseconds(200), std::chrono::milliseconds(20000));
    for (int attempt = 1;; ++attempt) {
        wait_turn();
        http_call call;
        call.method = r.method;
        call.url = parse_http_url(base);
        call.url.target = r.target;
        call.timeout = s_.timeout;
        call.body = r.body;
        if (!r.operation.empty()) {
            call.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
            call.headers.emplace_back("X-Amz-Target", "AWSCognitoIdentityService." + r.operation);
        }
        if (!s_.credentials.session_token.empty())
            call.headers.emplace_back("X-Amz-Security-Token", s_.credentials.session_token);
        sign_sigv4(call, {s_.credentials.access_key, s_.credentials.secret_key, s_.region, r.service}, now_ms());
        std::string failure;
        try {
            auto reply = send_http(call);
            if (!retryable(reply.status, reply.body) || attempt >= s_.max_attempts)
                return {reply.status, std::move(reply.body)};
            failure = "HTTP " + std::to_string(reply.status);
        } catch (const http_error& e) {
            if (attempt >= s_.max_attempts) throw;
            failure = e.what();
        }
        ++retries_;
        const auto wait = delay.next();
        std::fprintf(stderr, "migrate: %s %s: %s, again in %lld ms\n", r.method.c_str(),
                     r.operation.empty() ? r.target.c_str() : r.operation.c_str(), failure.c_str(),
                     static_cast<long long>(wait.count()));
        std::this_thread::sleep_for(wait);
    }
}

}  // namespace cogsync::server
