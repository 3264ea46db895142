#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "server/beast_adapter.hpp"

using namespace cogsync::server;

TEST_CASE("a Beast request becomes a plain request with the raw path and query") {
    beast_request req{http::verb::get, "/identitypools/us-east-1%3Ap/identities/x?maxResults=3&nextToken=a%2Fb", 11};
    req.insert("x-amz-Client-Context", "ctx");
    req.body() = "{}";
    auto out = to_api_request(std::move(req), "id-1");
    CHECK(out.method == "GET");
    CHECK(out.path == "/identitypools/us-east-1%3Ap/identities/x");
    CHECK(out.query == "maxResults=3&nextToken=a%2Fb");
    CHECK(out.header("X-AMZ-CLIENT-CONTEXT") == std::optional<std::string_view>("ctx"));
    CHECK(out.body == "{}");
    CHECK(out.request_id == "id-1");
}

TEST_CASE("a response keeps header names byte for byte, as Android and iOS look them up") {
    cogsync::api::response resp{409, {{"x-amzn-ErrorType", "ResourceConflictException"}, {"x-amzn-RequestId", "r"}}, "{}"};
    auto out = to_beast_response(std::move(resp), 11, true);
    CHECK(out.result_int() == 409);
    bool error_type = false, request_id = false;
    for (const auto& f : out) {
        error_type |= f.name_string() == "x-amzn-ErrorType";
        request_id |= f.name_string() == "x-amzn-RequestId";
    }
    CHECK(error_type);
    CHECK(request_id);
    CHECK(out[http::field::content_length] == "2");
    CHECK(out.keep_alive());
}

TEST_CASE("a response's head is what Beast's serializer writes before the body") {
    auto serialized = [](const beast_response& m) {
        std::ostringstream out;
        out << m;
        return out.str();
    };
    for (unsigned version : {10u, 11u})
        for (bool keep_alive : {true, false})
            for (unsigned status : {200u, 400u, 409u, 413u, 503u, 599u}) {
                cogsync::api::response resp{status, {{"x-amzn-ErrorType", "E"}, {"Retry-After", "1"}}, "{\"a\":1}"};
                auto m = to_beast_response(std::move(resp), version, keep_alive);
                CHECK(head_of(m) + m.body() == serialized(m));
            }
}

TEST_CASE("request ids are distinct version-4 UUIDs") {
    std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto id = new_request_id();
        CHECK(std::regex_match(id, uuid));
        seen.insert(id);
    }
    CHECK(seen.size() == 1000);
}
