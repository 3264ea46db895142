// The Cognito Identity part of the store contract (storage/record_store.hpp): pools, identities,
// logins, merges and minted credentials, and what deleting a pool or an identity takes with it.
#include <catch2/catch.hpp>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

identity_pool pool_named(const std::string& id, const std::string& developer_provider = "") {
    return {id, "name of " + id, true, false, developer_provider, R"({"opaque":1})", "", 1000};
}

void add_identity(record_store& s, const std::string& pool, const std::string& id) {
    must_write(s, [&](write_view& v) { v.save_identity({pool, id, 10, 20}); });
}

void add_identities(record_store& s, const std::string& pool, std::initializer_list<const char*> ids) {
    for (auto id : ids) add_identity(s, pool, id);
}

}  // namespace

TEST_CASE("an identity pool is stored whole, replaced by id and listed in id order", "[identity]") {
    OPEN_EACH_BACKEND(s);
    CHECK_FALSE(s->read([](read_view& v) { return v.find_identity_pool("us-east-1:a"); }));
    for (auto id : {"us-east-1:c", "us-east-1:a", "us-east-1:b"})
        must_write(*s, [&](write_view& v) { CHECK(v.save_identity_pool(pool_named(id))); });
    auto replaced = pool_named("us-east-1:b", "login.dev");
    replaced.name = "renamed";
    replaced.allow_classic_flow = true;
    replaced.roles = "roles text";
    must_write(*s, [&](write_view& v) { CHECK(v.save_identity_pool(replaced)); });
    s.reopen();
    auto got = s->read([](read_view& v) { return v.find_identity_pool("us-east-1:b"); });
    REQUIRE(got);
    CHECK(got->name == "renamed");
    CHECK(got->allow_unauthenticated);
    CHECK(got->allow_classic_flow);
    CHECK(got->developer_provider_name == "login.dev");
    CHECK(got->description == R"({"opaque":1})");
    CHECK(got->roles == "roles text");
    CHECK(got->created_ms == 1000);
    auto page = s->read([](read_view& v) { return v.identity_pools_page("us-east-1:a", 1); });
    REQUIRE(page.size() == 1);
    CHECK(page[0].id == "us-east-1:b");
    CHECK(s->read([](read_view& v) { return v.identity_pools_page("", 10); }).size() == 3);
}

TEST_CASE("a developer provider name belongs to one pool at a time", "[identity]") {
    OPEN_EACH_BACKEND(s);
    must_write(*s, [](write_view& v) {
        CHECK(v.save_identity_pool(pool_named("r:1", "login.dev")));
        CHECK(v.save_identity_pool(pool_named("r:1", "login.dev")));
        CHECK_FALSE(v.save_identity_pool(pool_named("r:2", "login.dev")));
        CHECK(v.save_identity_pool(pool_named("r:3")));
        CHECK(v.save_identity_pool(pool_named("r:4")));
    });
    CHECK_FALSE(s->read([](read_view& v) { return v.find_identity_pool("r:2"); }));
    auto holder = s->read([](read_view& v) { return v.find_pool_by_developer_provider("login.dev"); });
    REQUIRE(holder);
    CHECK(holder->id == "r:1");
    must_write(*s, [](write_view& v) { CHECK(v.save_identity_pool(pool_named("r:1"))); });
    must_write(*s, [](write_view& v) { CHECK(v.save_identity_pool(pool_named("r:2", "login.dev"))); });
}

TEST_CASE("identities are found by id alone and listed per pool in id order", "[identity]") {
    OPEN_EACH_BACKEND(s);
    must_write(*s, [](write_view& v) { return v.save_identity_pool(pool_named("r:1")) && v.save_identity_pool(pool_named("r:2")); });
    add_identities(*s, "r:1", {"r:c", "r:a", "r:b"});
    add_identity(*s, "r:2", "r:z");
    auto found = s->read([](read_view& v) { return v.find_identity("r:z"); });
    REQUIRE(found);
    CHECK(found->pool == "r:2");
    CHECK(found->created_ms == 10);
    CHECK(found->last_modified_ms == 20);
    auto page = s->read([](read_view& v) { return v.identities_page("r:1", "r:a", 10); });
    REQUIRE(page.size() == 2);
    CHECK(page[0].id == "r:b");
    CHECK(page[1].id == "r:c");
    CHECK(s->read([](read_view& v) { return v.identities_page("r:1", "", 1); }).size() == 1);
}

TEST_CASE("a login names one identity per pool and is listed with it", "[identity]") {
    OPEN_EACH_BACKEND(s);
    add_identities(*s, "r:1", {"r:a", "r:b"});
    must_write(*s, [](write_view& v) {
        v.link_login("r:1", {"graph.facebook.com", "42"}, "r:a");
        v.link_login("r:1", {"accounts.google.com", "7"}, "r:a");
        v.link_login("r:1", {"accounts.google.com", "8"}, "r:b");
    });
    CHECK(s->read([](read_view& v) { return v.find_login("r:1", "accounts.google.com", "7"); }) == "r:a");
    CHECK_FALSE(s->read([](read_view& v) { return v.find_login("r:2", "accounts.google.com", "7"); }));
    auto logins = s->read([](read_view& v) { return v.logins_of_identity("r:1", "r:a"); });
    REQUIRE(logins.size() == 2);
    CHECK(logins[0].provider == "accounts.google.com");
    CHECK(logins[1].subject == "42");
    must_write(*s, [](write_view& v) {
        v.link_login("r:1", {"accounts.google.com", "7"}, "r:b");
        CHECK_FALSE(v.unlink_login("r:1", {"accounts.google.com", "8"}, "r:a"));
        CHECK(v.unlink_login("r:1", {"accounts.google.com", "8"}, "r:b"));
    });
    CHECK(s->read([](read_view& v) { return v.find_login("r:1", "accounts.google.com", "7"); }) == "r:b");
    CHECK(s->read([](read_view& v) { return v.logins_of_identity("r:1", "r:b"); }).size() == 1);
}

TEST_CASE("minted credentials are found by access key, revoked per identity and purged once expired",
          "[identity]") {
    OPEN_EACH_BACKEND(s);
    must_write(*s, [](write_view& v) {
        v.save_minted_credential({"AKIA1", "s1", "t1", "r:1", "r:a", 100});
        v.save_minted_credential({"AKIA2", "s2", "t2", "r:1", "r:a", 500});
        v.save_minted_credential({"AKIA3", "s3", "t3", "r:1", "r:b", 50});
    });
    auto got = s->read([](read_view& v) { return v.find_minted_credential("AKIA2"); });
    REQUIRE(got);
    CHECK(got->secret == "s2");
    CHECK(got->session_token == "t2");
    CHECK(got->identity_id == "r:a");
    CHECK(got->expires_ms == 500);
    must_write(*s, [](write_view& v) { CHECK(v.purge_expired_credentials(100) == 2); });
    CHECK_FALSE(s->read([](read_view& v) { return v.find_minted_credential("AKIA1"); }));
    CHECK(s->read([](read_view& v) { return v.find_minted_credential("AKIA2"); }));
    must_write(*s, [](write_view& v) { CHECK(v.revoke_credentials("r:1", "r:a") == 1); });
    CHECK_FALSE(s->read([](read_view& v) { return v.find_minted_credential("AKIA2"); }));
}

TEST_CASE("deleting a pool takes its identities, logins, merges and credentials but not its datasets",
          "[identity]") {
    OPEN_EACH_BACKEND(s);
    must_write(*s, [](write_view& v) { return v.save_identity_pool(pool_named("r:1", "login.dev")) && v.save_identity_pool(pool_named("r:2")); });
    add_identity(*s, "r:1", "r:a");
    add_identity(*s, "r:1", "r:b");
    add_identity(*s, "r:2", "r:c");
    must_write(*s, [](write_view& v) {
        v.link_login("r:1", {"login.dev", "u1"}, "r:a");
        v.link_login("r:2", {"accounts.google.com", "u2"}, "r:c");
        v.record_merge("r:1", "r:a", "r:b");
        v.record_merge("r:1", "r:a", "r:b");
        v.save_minted_credential({"AKIA1", "s", "t", "r:1", "r:a", 100});
        dataset d;
        d.id = {"r:1", "r:a", "ds"};
        d.state = dataset_state::live;
        v.save_dataset(d);
    });
    CHECK(s->read([](read_view& v) { return v.merged_into("r:1", "r:a"); }) == std::vector<std::string>{"r:b"});
    must_write(*s, [](write_view& v) {
        CHECK(v.delete_identity_pool("r:1"));
        CHECK_FALSE(v.delete_identity_pool("r:1"));
    });
    s->read([](read_view& v) {
        CHECK_FALSE(v.find_identity_pool("r:1"));
        CHECK_FALSE(v.find_identity("r:a"));
        CHECK(v.identities_page("r:1", "", 10).empty());
        CHECK_FALSE(v.find_login("r:1", "login.dev", "u1"));
        CHECK(v.merged_into("r:1", "r:a").empty());
        CHECK_FALSE(v.find_minted_credential("AKIA1"));
        CHECK(v.load_dataset({"r:1", "r:a", "ds"}).state == dataset_state::live);
        CHECK(v.find_identity("r:c"));
        CHECK(v.find_login("r:2", "accounts.google.com", "u2") == "r:c");
        CHECK_FALSE(v.find_pool_by_developer_provider("login.dev"));
        return 0;
    });
}

TEST_CASE("deleting an identity takes its logins, merges and credentials", "[identity]") {
    OPEN_EACH_BACKEND(s);
    add_identities(*s, "r:1", {"r:a", "r:b"});
    must_write(*s, [](write_view& v) {
        v.link_login("r:1", {"login.dev", "u1"}, "r:a");
        v.link_login("r:1", {"login.dev", "u2"}, "r:b");
        v.record_merge("r:1", "r:b", "r:a");
        v.save_minted_credential({"AKIA1", "s", "t", "r:1", "r:a", 100});
        CHECK(v.delete_identity("r:a"));
        CHECK_FALSE(v.delete_identity("r:a"));
    });
    s->read([](read_view& v) {
        CHECK_FALSE(v.find_identity("r:a"));
        CHECK_FALSE(v.find_login("r:1", "login.dev", "u1"));
        CHECK(v.find_login("r:1", "login.dev", "u2") == "r:b");
        CHECK(v.merged_into("r:1", "r:b").empty());
        CHECK_FALSE(v.find_minted_credential("AKIA1"));
        return 0;
    });
}
