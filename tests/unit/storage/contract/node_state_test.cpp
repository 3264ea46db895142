// Node state (storage/record_store.hpp): named values every node on one store shares, such as the
// 32 raw bytes of the token key.
#include <catch2/catch.hpp>

#include <latch>
#include <set>
#include <thread>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

// Key material is raw bytes: NUL, high bytes, no valid UTF-8.
std::string key_bytes(char fill) {
    std::string out(32, fill);
    out[0] = '\0';
    out[1] = '\xFF';
    out[2] = '\xC3';
    return out;
}

std::optional<std::string> node_value(record_store& store, const std::string& name) {
    return store.read([&](read_view& v) { return v.node_value(name); });
}

}  // namespace

TEST_CASE("a node value is absent until saved, then replaced whole and kept", "[node]") {
    OPEN_EACH_BACKEND(s);
    CHECK_FALSE(node_value(*s, "token_key"));
    must_write(*s, [](write_view& v) { v.save_node_value("token_key", key_bytes('a')); });
    CHECK(node_value(*s, "token_key") == key_bytes('a'));
    must_write(*s, [](write_view& v) { v.save_node_value("token_key", "short"); });
    CHECK(node_value(*s, "token_key") == "short");
    CHECK_FALSE(s->write([](write_view& v) {
        v.save_node_value("token_key", "rolled back");
        v.save_node_value("other", "rolled back");
        return false;
    }));
    s.reopen();
    CHECK(node_value(*s, "token_key") == "short");
    CHECK_FALSE(node_value(*s, "other"));
}

TEST_CASE("node_secret keeps the first caller's value and calls make() only when it is absent", "[node]") {
    OPEN_EACH_BACKEND(s);
    int made = 0;
    auto make = [&made](char fill) {
        return [&made, fill] {
            ++made;
            return key_bytes(fill);
        };
    };
    CHECK(s->node_secret("token_key", make('a')) == key_bytes('a'));
    CHECK(made == 1);
    CHECK(s->node_secret("token_key", make('b')) == key_bytes('a'));
    CHECK(s->node_secret("other", make('c')) == key_bytes('c'));
    CHECK(made == 2);
    s.reopen();
    CHECK(s->node_secret("token_key", make('d')) == key_bytes('a'));
    CHECK(made == 2);
    CHECK(node_value(*s, "token_key") == key_bytes('a'));
}

TEST_CASE("callers racing to create a node secret all get the one that was stored", "[node][concurrency]") {
    OPEN_EACH_BACKEND(s);
    constexpr int callers = 8;
    std::vector<std::string> got(callers);
    std::latch go(callers);
    std::vector<std::thread> threads;
    for (int t = 0; t < callers; ++t)
        threads.emplace_back([&, t] {
            go.arrive_and_wait();
            got[t] = s->node_secret("token_key", [t] { return key_bytes(static_cast<char>('a' + t)); });
        });
    for (auto& th : threads) th.join();
    const std::set<std::string> distinct(got.begin(), got.end());
    CHECK(distinct.size() == 1);
    CHECK(got[0] == key_bytes(got[0].back()));  // one of the callers' own values
    CHECK(node_value(*s, "token_key") == got[0]);
    s.reopen();
    CHECK(node_value(*s, "token_key") == got[0]);
}
