// Keep-alive connections of the outbound client (server/hooks/http_pool.hpp) against a local server
// that counts the connections it accepts.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "server/hooks/http_client.hpp"
#include "server/hooks/http_pool.hpp"
#include "tests/unit/server/local_http_server.hpp"

using namespace cogsync::server;
using cogsync::test::local_http_server;
using namespace std::chrono_literals;

namespace {

struct one_target {
    local_http_server server;
    http_pool pool;

    http_call post(const std::string& body, std::chrono::milliseconds timeout = 5000ms) const {
        http_call call;
        call.url = parse_http_url(server.url("/hook"));
        call.body = body;
        call.timeout = timeout;
        return call;
    }

    // One call through `via` (the fixture's pool by default), answered with its body echoed.
    void echo(const std::string& body, http_pool* via = nullptr) {
        auto reply = (via ? *via : pool).send(post(body));
        CHECK(reply.status == 200);
        CHECK(reply.body == body);
    }
};

}  // namespace

TEST_CASE_METHOD(one_target, "sequential calls to one target share one connection") {
    for (int i = 0; i < 10; ++i) echo("call " + std::to_string(i));
    CHECK(server.connections() == 1);
    CHECK(server.requests() == 10);
    CHECK(pool.idle() == 1);
}

TEST_CASE_METHOD(one_target, "send_http keeps its connections alive between calls") {
    for (int i = 0; i < 5; ++i) CHECK(send_http(post("x")).status == 200);
    CHECK(server.connections() == 1);
}

TEST_CASE_METHOD(one_target, "a connection the server closed while idle is replaced without failing the call") {
    echo("a");
    server.drop_connections();
    std::this_thread::sleep_for(20ms);
    echo("b");
    CHECK(server.connections() == 2);
}

TEST_CASE_METHOD(one_target, "a reused connection closed before any byte of the reply is retried once, on a new one") {
    echo("a");
    server.drop_unanswered = 1;  // the peer closing an idle connection just as the request goes out
    echo("b");
    CHECK(server.connections() == 2);
    CHECK(server.requests() == 3);

    server.drop_unanswered = 2;
    CHECK_THROWS_AS(pool.send(post("c")), http_error);
    CHECK(server.connections() == 3);
    CHECK(server.requests() == 5);
    CHECK(pool.idle() == 0);
}

TEST_CASE_METHOD(one_target, "a new connection closed before the reply is a failure, not retried") {
    server.drop_unanswered = 1;
    CHECK_THROWS_AS(pool.send(post("a")), http_error);
    CHECK(server.connections() == 1);
    CHECK(server.requests() == 1);
}

TEST_CASE_METHOD(one_target, "a reply cut short on a reused connection is a failure, not retried") {
    echo("a");
    server.cut_replies = 1;
    CHECK_THROWS_AS(pool.send(post("b")), http_error);
    CHECK(server.requests() == 2);
    CHECK(server.connections() == 1);
    echo("c");
    CHECK(server.connections() == 2);
}

TEST_CASE_METHOD(one_target, "a connection whose reply said Connection: close is not reused") {
    server.close_after_reply = true;
    for (int i = 0; i < 3; ++i) echo("x");
    CHECK(server.connections() == 3);
    CHECK(pool.idle() == 0);
}

TEST_CASE_METHOD(one_target, "concurrent calls each hold their own connection; at most max_idle_per_target stay") {
    server.hold_until = 4;  // no reply before all four requests are in
    http_pool small({.max_idle_per_target = 2});
    std::vector<std::string> bodies(4);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&, i] { bodies[i] = small.send(post("thread " + std::to_string(i))).body; });
    for (auto& t : threads) t.join();
    for (int i = 0; i < 4; ++i) CHECK(bodies[i] == "thread " + std::to_string(i));
    CHECK(server.connections() == 4);
    CHECK(small.idle() == 2);
    for (int i = 0; i < 4; ++i) echo("again", &small);
    CHECK(server.connections() == 4);
}

TEST_CASE_METHOD(one_target, "a connection idle longer than idle_timeout is closed, not used") {
    http_pool brief({.idle_timeout = 50ms});
    echo("a", &brief);
    echo("b", &brief);
    CHECK(server.connections() == 1);
    std::this_thread::sleep_for(120ms);
    echo("c", &brief);
    CHECK(server.connections() == 2);
}

TEST_CASE_METHOD(one_target, "the call's timeout holds on a reused connection, which is then dropped") {
    echo("a");
    server.hold_until = 3;  // the next reply waits for a third request
    auto start = std::chrono::steady_clock::now();
    try {
        pool.send(post("b", 300ms));
        FAIL("no timeout");
    } catch (const http_error& e) {
        CHECK(e.timed_out());
    }
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    echo("c");
    CHECK(server.connections() == 2);
}

TEST_CASE_METHOD(one_target, "a reused connection is not slowed by delayed ACKs when the reply comes in two writes") {
    server.split_replies = true;  // the body waits for our ACK of the header (Nagle)
    echo("a");
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) echo("b");
    CHECK(std::chrono::steady_clock::now() - start < 400ms);  // 20 delayed ACKs take 800 ms or more
    CHECK(server.connections() == 1);
}

TEST_CASE_METHOD(one_target, "send_http sends no header holding a control character") {
    auto call = post("x");
    call.headers = {{"X-Cogsync-Stream", "s\r\nX-Injected: 1"}};
    CHECK_THROWS_AS(send_http(call), std::invalid_argument);
    call.headers = {{"X-Cogsync-Function-Arn", std::string("f\0g", 3)}};
    CHECK_THROWS_AS(send_http(call), std::invalid_argument);
    call.headers = {{"X-Bad\nName", "v"}};
    CHECK_THROWS_AS(send_http(call), std::invalid_argument);
    CHECK(server.requests() == 0);
    call.headers = {{"X-Cogsync-Stream", "tab\tis allowed"}};
    CHECK(send_http(call).status == 200);
    CHECK(server.requests() == 1);
}
