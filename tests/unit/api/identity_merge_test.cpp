// MergeDeveloperIdentities' rule (api/identity/merge.hpp) over a real store: what moves, what the
// merged datasets hold, and the refusals that change nothing.
#include <catch2/catch.hpp>

#include "api/identity/merge.hpp"
#include "tests/unit/api/op_fixture.hpp"

using namespace cogsync;
namespace st = cogsync::storage;

namespace {

const std::string pool = "us-east-1:00000000-0000-4000-8000-000000000001";
const std::string dst = "us-east-1:00000000-0000-4000-8000-0000000000d0";
const std::string src = "us-east-1:00000000-0000-4000-8000-0000000000s0";

struct merge_fixture : testing::op_fixture {
    merge_fixture() {
        store.write([](st::write_view& v) {
            v.save_identity_pool(st::identity_pool{pool, "p", true, false, "login.example", "", "", 1});
            for (const auto& [id, user] : {std::pair{dst, "d"}, std::pair{src, "s"}}) {
                v.save_identity(st::identity{pool, id, 1, 1});
                v.link_login(pool, st::identity_login{"login.example", user}, id);
            }
            return true;
        });
    }
    void dataset(const std::string& identity, const std::string& name, std::vector<st::record> rs) {
        store.write([&](st::write_view& v) {
            st::dataset d;
            d.id = {pool, identity, name};
            d.state = st::dataset_state::live;
            d.sync_count = 7;
            for (const auto& r : rs) {
                d.num_records += r.value ? 1 : 0;
                d.tombstones += r.value ? 0 : 1;
            }
            v.save_dataset(d);
            v.put_records(d.id, rs);
            return true;
        });
    }
    api::identity::merge_outcome merge(int64_t max_datasets = 20) {
        api::identity::merge_outcome out{};
        store.write([&](st::write_view& v) {
            out = api::identity::merge_identities(v, pool, dst, src, api::sync_limits{max_datasets, 1024, 1 << 20}, 5000);
            return out == api::identity::merge_outcome::merged;
        });
        return out;
    }
};

st::record rec(std::string key, std::optional<std::string> value, int64_t count) {
    return st::record{std::move(key), std::move(value), count, 10, "someone", 10};
}

}  // namespace

TEST_CASE("a merge copies live records at sync count 1 and moves logins; the source goes", "[identity-merge]") {
    merge_fixture f;
    f.dataset(src, "profile", {rec("a", "1", 3), rec("b", std::nullopt, 5), rec("c", "3", 7)});
    REQUIRE(f.merge() == api::identity::merge_outcome::merged);
    const st::dataset_id merged{pool, dst, "profile." + src};
    f.store.read([&](st::read_view& v) {
        auto d = v.load_dataset(merged);
        CHECK(d.state == st::dataset_state::live);
        CHECK(d.sync_count == 1);
        CHECK(d.num_records == 2);
        CHECK(d.tombstones == 0);
        auto rs = v.records_page(merged, st::record_page_query{});
        REQUIRE(rs.size() == 2);
        CHECK(rs[0].key == "a");
        CHECK(rs[1].key == "c");
        for (const auto& r : rs) CHECK(r.sync_count == 1);
        CHECK_FALSE(v.find_identity(src));
        CHECK(v.find_login(pool, "login.example", "s") == dst);
        CHECK(v.merged_into(pool, dst) == std::vector<std::string>{src});
        return 0;
    });
}

TEST_CASE("a merge the destination's dataset limit cannot hold changes nothing", "[identity-merge]") {
    merge_fixture f;
    f.dataset(dst, "mine", {rec("k", "v", 1)});
    f.dataset(src, "one", {rec("k", "v", 1)});
    f.dataset(src, "two", {rec("k", "v", 1)});
    CHECK(f.merge(2) == api::identity::merge_outcome::too_many_datasets);
    f.store.read([&](st::read_view& v) {
        CHECK(v.find_identity(src));
        CHECK(v.live_dataset_count(pool, dst) == 1);
        CHECK(v.merged_into(pool, dst).empty());
        return 0;
    });
    CHECK(f.merge(3) == api::identity::merge_outcome::merged);
}

TEST_CASE("a merged name the destination already holds, or one over 128 characters, refuses the merge", "[identity-merge]") {
    merge_fixture f;
    f.dataset(src, "taken", {rec("k", "v", 1)});
    f.dataset(dst, "taken." + src, {rec("k", "v", 1)});
    CHECK(f.merge() == api::identity::merge_outcome::name_taken);
    merge_fixture g;
    g.dataset(src, std::string(90, 'n'), {rec("k", "v", 1)});
    CHECK(g.merge() == api::identity::merge_outcome::name_too_long);
}
