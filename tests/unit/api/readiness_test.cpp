#include <catch2/catch.hpp>

#include "api/readiness.hpp"

using namespace cogsync::api;

namespace {

std::string header(const response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return "";
}

}  // namespace

TEST_CASE("readiness: starting until the listener is bound, ready, then draining") {
    bool draining = false;
    readiness state;
    state.draining = [&] { return draining; };

    auto starting = ready_response(&state);
    CHECK(starting.status == 503);
    CHECK(starting.body == R"({"status":"starting"})");
    CHECK(header(starting, "Retry-After") == "1");

    state.listening = true;
    auto ready = ready_response(&state);
    CHECK(ready.status == 200);
    CHECK(ready.body == R"({"status":"ready"})");
    CHECK(header(ready, "Retry-After").empty());

    draining = true;
    auto leaving = ready_response(&state);
    CHECK(leaving.status == 503);
    CHECK(leaving.body == R"({"status":"draining"})");
}

TEST_CASE("readiness: a context without a server is ready") {
    CHECK(ready_response(nullptr).status == 200);
}

TEST_CASE("readiness: not ready while the store cannot be reached, ready again once it can") {
    bool reachable = false;
    readiness state;
    state.listening = true;
    state.store_reachable = [&] { return reachable; };

    auto down = ready_response(&state);
    CHECK(down.status == 503);
    CHECK(down.body == R"({"status":"store unreachable"})");
    CHECK(header(down, "Retry-After") == "1");

    reachable = true;
    CHECK(ready_response(&state).status == 200);
}
