#include <catch2/catch.hpp>
#include <fstream>
#include <set>

#include "api/api_error.hpp"
#include "api/router.hpp"

using namespace cogsync::api;

TEST_CASE("every operation of the model has exactly one route") {
    std::set<std::string> names;
    std::set<std::pair<std::string, std::string>> keys;
    for (const auto& r : route_table()) {
        names.insert(r.operation);
        keys.emplace(r.method, r.path);
    }
    CHECK(route_table().size() == 17);
    CHECK(names.size() == 17);
    CHECK(keys.size() == 17);
}

TEST_CASE("routes split first, then decode each segment") {
    auto m = match_route("GET", "/identitypools/us-east-1%3Ap/identities/us-east-1%3Ai/datasets/d.s/records");
    CHECK(std::string(m.target->operation) == "ListRecords");
    REQUIRE(m.params.size() == 3);
    CHECK(m.params[0] == std::make_pair(std::string("IdentityPoolId"), std::string("us-east-1:p")));
    CHECK(m.params[1].second == "us-east-1:i");
    CHECK(m.params[2].second == "d.s");

    auto sub = match_route("DELETE", "/identitypools/p/identities/i/datasets/d/subscriptions/dev%2F1");
    CHECK(std::string(sub.target->operation) == "UnsubscribeFromDataset");
    CHECK(sub.params.back().second == "dev/1");

    CHECK(std::string(match_route("POST", "/identitypools/p/identities/i/datasets/d").target->operation) == "UpdateRecords");
    CHECK(std::string(match_route("GET", "/identitypools/p/identities/i/datasets/d").target->operation) == "DescribeDataset");
    CHECK(std::string(match_route("DELETE", "/identitypools/p/identities/i/datasets/d").target->operation) == "DeleteDataset");
    CHECK(std::string(match_route("POST", "/identitypools/p/identity/i/device").target->operation) == "RegisterDevice");
    CHECK(std::string(match_route("GET", "/identitypools").target->operation) == "ListIdentityPoolUsage");
}

TEST_CASE("404 and 405 are told apart; bad escapes are 400") {
    auto code_of = [](const char* method, const char* path) {
        try {
            match_route(method, path);
        } catch (const api_error& e) {
            return e.status();
        }
        return 200u;
    };
    CHECK(code_of("GET", "/nothing") == 404);
    CHECK(code_of("GET", "/identitypools/p/identities/i/datasets/d/records/extra") == 404);
    CHECK(code_of("GET", "/identitypools/p/identities//datasets") == 404);
    CHECK(code_of("PUT", "/identitypools/p/identities/i/datasets/d") == 405);
    CHECK(code_of("POST", "/identitypools/p/identities/i/datasets/d/records") == 405);
    CHECK(code_of("GET", "/identitypools/p%zz/identities/i/datasets/d/records") == 400);
    CHECK(code_of("GET", "/nothing/%zz") == 404);
}

TEST_CASE("the route table covers service-2.json's URIs") {
    std::ifstream model(COGSYNC_SOURCE_DIR "/tests/unit/api/model_uris.txt");
    REQUIRE(model);
    std::set<std::pair<std::string, std::string>> expected;
    std::string method, uri;
    while (model >> method >> uri) expected.emplace(method, uri);
    std::set<std::pair<std::string, std::string>> actual;
    for (const auto& r : route_table()) actual.emplace(r.method, r.path);
    CHECK(actual == expected);
}

TEST_CASE("dot segments are refused: SigV4 removes them from the path it signs, routing would not") {
    auto status_of = [](const char* path) {
        try {
            refuse_dot_segments(path);
        } catch (const api_error& e) {
            return e.status();
        }
        return 200u;
    };
    CHECK(status_of("/identitypools/p/identities/i/datasets/d/subscriptions/..") == 400);
    CHECK(status_of("/identitypools/p/identities/i/datasets/d/./records") == 400);
    CHECK(status_of("/identitypools/../identitypools/p") == 400);
    CHECK(status_of("/.") == 400);
    CHECK(status_of("/identitypools/p/identities/i/datasets/d.s/records") == 200);
    CHECK(status_of("/identitypools/p/identities/i/datasets/..d/records") == 200);
    // Encoded dots are a name, signed as "%252E" and routed as ".": the two agree.
    CHECK(status_of("/identitypools/p/identities/i/datasets/%2E%2E") == 200);
    CHECK(status_of("/identitypools") == 200);
}

TEST_CASE("X-HTTP-Method-Override: DELETE on a POST routes as DELETE; naming the own method changes nothing") {
    request req;
    req.method = "POST";
    req.path = "/identitypools/p/identities/i/datasets/d";
    CHECK(effective_method(req) == "POST");
    req.headers = {{"x-http-method-override", "DELETE"}};
    CHECK(effective_method(req) == "DELETE");
    CHECK(std::string(match_route(effective_method(req), req.path).target->operation) == "DeleteDataset");
    req.path += "/subscriptions/dev";
    CHECK(std::string(match_route(effective_method(req), req.path).target->operation) == "UnsubscribeFromDataset");
    req.headers = {{"X-HTTP-Method-Override", "POST"}};
    CHECK(effective_method(req) == "POST");
    auto refused = [](std::string method, std::string named) {
        request r;
        r.method = std::move(method);
        r.headers = {{"X-HTTP-Method-Override", std::move(named)}};
        try {
            effective_method(r);
        } catch (const api_error& e) {
            return e.status() == 400;
        }
        return false;
    };
    CHECK(refused("POST", "PUT"));
    CHECK(refused("GET", "DELETE"));
    CHECK(refused("DELETE", "GET"));
    CHECK(refused("POST", "delete"));
}
