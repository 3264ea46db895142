// The Cognito Identity kinds of the export format (identity_pool, identity): they read back as
// written, are checked as the API checks its input, and load idempotently without undoing a
// later change on the target.
#include <catch2/catch.hpp>

#include <map>

#include "api/transfer/export_lines.hpp"
#include "api/transfer/export_store.hpp"
#include "api/transfer/import_line.hpp"
#include "api/transfer/import_loader.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync;
using namespace cogsync::api::transfer;

namespace {

const std::string pool_id = "us-east-1:0000aaaa";
const std::string identity_id = "us-east-1:1111bbbb";

storage::identity_pool dev_pool() {
    storage::identity_pool p;
    p.id = pool_id;
    p.name = "app";
    p.allow_unauthenticated = true;
    p.developer_provider_name = "login.app";
    p.description = R"({"SupportedLoginProviders":{"accounts.google.com":"client"}})";
    p.roles = R"({"Roles":{"authenticated":"arn:aws:iam::123456789012:role/a"}})";
    p.created_ms = 1000;
    return p;
}

identity_entry dev_identity(int64_t last_modified_ms, std::vector<storage::identity_login> logins) {
    return {{pool_id, identity_id, 1000, last_modified_ms}, std::move(logins), {"us-east-1:2222cccc"}};
}

std::string line_of(const identity_entry& e) { return identity_line(e.identity, e.logins, e.merged); }

struct loader_run {
    storage::testing::temp_dir dir;
    storage::sqlite_store store{storage::testing::sqlite_options(dir, storage::durability::normal)};
    std::map<int64_t, std::string> refused;

    import_counts load(const std::vector<std::string>& lines) {
        refused.clear();
        import_loader l(store, {}, [&](int64_t n, const std::string& why) { refused[n] = why; });
        int64_t n = 0;
        l.add(++n, header_line(1, "test"));
        for (const auto& line : lines) l.add(++n, line);
        l.finish();
        return l.counts();
    }
    std::vector<std::string> logins() {
        std::vector<std::string> out;
        store.read([&](storage::read_view& v) {
            for (const auto& l : v.logins_of_identity(pool_id, identity_id)) out.push_back(l.provider + "=" + l.subject);
            return 0;
        });
        return out;
    }
};

}  // namespace

TEST_CASE("identity pool and identity lines read back as written", "[transfer]") {
    const auto p = std::get<storage::identity_pool>(read_line(identity_pool_line(dev_pool())));
    CHECK(p.id == pool_id);
    CHECK(p.name == "app");
    CHECK(p.allow_unauthenticated);
    CHECK(p.developer_provider_name == "login.app");
    CHECK(p.description == dev_pool().description);
    CHECK(p.roles == dev_pool().roles);
    CHECK(p.created_ms == 1000);

    const auto e = std::get<identity_entry>(read_line(line_of(dev_identity(2000, {{"login.app", "alice"}}))));
    CHECK(e.identity.id == identity_id);
    CHECK(e.identity.last_modified_ms == 2000);
    REQUIRE(e.logins.size() == 1);
    CHECK(e.logins[0].subject == "alice");
    CHECK(e.merged == std::vector<std::string>{"us-east-1:2222cccc"});
}

TEST_CASE("identity lines out of contract are refused with the API's reason", "[transfer]") {
    auto refusal = [](const std::string& line) -> std::string {
        try {
            read_line(line);
        } catch (const std::exception& e) {
            return e.what();
        }
        return "";
    };
    auto shape = [](const std::string& members) {
        return R"({"kind":"identity_pool","pool":"us-east-1:0000aaaa","created_ms":0,"identity_pool":{)" + members + "}}";
    };
    CHECK(refusal(shape(R"("IdentityPoolName":"a","AllowUnauthenticatedIdentities":true)")).empty());
    CHECK_THAT(refusal(shape(R"("IdentityPoolName":"a")")), Catch::Contains("AllowUnauthenticatedIdentities"));
    CHECK_THAT(refusal(shape(R"("IdentityPoolName":"bad/name","AllowUnauthenticatedIdentities":true)")),
               Catch::Contains("IdentityPoolName"));
    CHECK_THAT(refusal(shape(R"("IdentityPoolId":"us-east-1:9999","IdentityPoolName":"a","AllowUnauthenticatedIdentities":true)")),
               Catch::Contains("is not the line's pool"));
    const std::string identity = R"({"kind":"identity","pool":"us-east-1:0000aaaa","identity":"us-east-1:1111bbbb","created_ms":1,"last_modified_ms":1,)";
    CHECK(refusal(identity + R"("logins":[],"merged":[]})").empty());
    CHECK_THAT(refusal(identity + R"("logins":[{"provider":"p"}],"merged":[]})"), Catch::Contains("missing member 'subject'"));
    CHECK_THAT(refusal(identity + R"("logins":[],"merged":["no colon"]})"), Catch::Contains("merged"));
    CHECK_THAT(refusal(identity + R"("merged":[]})"), Catch::Contains("missing member 'logins'"));
}

TEST_CASE("identities load once, are replaced only by a later state, and export as loaded", "[transfer]") {
    loader_run run;
    const std::vector<std::string> first = {identity_pool_line(dev_pool()),
                                            line_of(dev_identity(2000, {{"login.app", "alice"}, {"login.app", "bob"}}))};
    auto n = run.load(first);
    CHECK(run.refused.empty());
    CHECK(n.loaded == 3);
    std::string exported;
    run.store.read([&](storage::read_view& v) {
        return export_store(v, "h", [&](const std::string& l) { exported += l + "\n"; });
    });
    CHECK(exported == "h\n" + first[0] + "\n" + first[1] + "\n");

    auto again = run.load(first);
    CHECK(run.refused.empty());
    CHECK(again.unchanged == 2);

    run.load({line_of(dev_identity(1500, {{"login.app", "carol"}}))});
    CHECK_THAT(run.refused.at(2), Catch::Contains("later than the file's 1500; not replaced"));
    run.load({line_of(dev_identity(3000, {{"login.app", "alice"}, {"login.app", "carol"}}))});
    CHECK(run.refused.empty());
    CHECK(run.logins() == std::vector<std::string>{"login.app=alice", "login.app=carol"});

    auto changed = dev_pool();
    changed.name = "renamed";
    auto other = dev_identity(1, {{"login.app", "alice"}});
    other.identity.id = "us-east-1:3333dddd";
    auto orphan = dev_identity(1, {});
    orphan.identity.pool = "us-east-1:4444eeee";
    run.load({identity_pool_line(changed), line_of(other), line_of(orphan)});
    CHECK_THAT(run.refused.at(2), Catch::Contains("another description of it; not replaced"));
    CHECK_THAT(run.refused.at(3), Catch::Contains("login login.app alice is linked to identity us-east-1:1111bbbb"));
    CHECK_THAT(run.refused.at(4), Catch::Contains("no identity pool us-east-1:4444eeee"));
}
