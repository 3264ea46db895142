// `cogsync migrate`'s reader and checkpoint (api/migrate/): requests as the services expect them,
// every page followed, errors carried with their AWS type, and the checkpoint's run rules.
#include <catch2/catch.hpp>

#include <deque>
#include <stdexcept>

#include "api/migrate/checkpoint.hpp"
#include "api/migrate/source_api.hpp"

using namespace cogsync::api::migrate;

namespace {

// Answers the requests in order with the replies given, keeping what was asked.
struct scripted {
    std::deque<source_reply> replies;
    std::vector<source_request> asked;
    source_transport transport() {
        return [this](const source_request& r) {
            asked.push_back(r);
            if (replies.empty()) throw std::runtime_error("asked more than the script answers");
            auto reply = replies.front();
            replies.pop_front();
            return reply;
        };
    }
};

}  // namespace

TEST_CASE("ListRecords pages are followed and the first page's count is the dataset's", "[migrate]") {
    scripted s;
    s.replies = {{200, R"({"Records":[{"Key":"a","Value":"1","SyncCount":2,"LastModifiedDate":1700000000.123,"LastModifiedBy":"x","DeviceLastModifiedDate":1.5}],"DatasetSyncCount":3,"DatasetExists":true,"DatasetDeletedAfterRequestedSyncCount":false,"NextToken":"n/1","MergedDatasetNames":["d.us-east-1:2"]})"},
                 {200, R"({"Records":[{"Key":"b","SyncCount":3}],"DatasetSyncCount":9,"DatasetExists":true})"}};
    source_api api(s.transport());
    auto l = api.list_records({"us-east-1:p", "us-east-1:i", "d"}, 1);
    REQUIRE(l.records.size() == 2);
    CHECK(l.records[0].last_modified_ms == 1700000000123);
    CHECK(l.records[0].device_last_modified_ms == 1500);
    CHECK_FALSE(l.records[1].value);
    CHECK(l.dataset_sync_count == 3);
    CHECK(l.exists);
    CHECK(l.merged_names == std::vector<std::string>{"d.us-east-1:2"});
    CHECK(s.asked[0].service == "cognito-sync");
    CHECK(s.asked[0].target ==
          "/identitypools/us-east-1%3Ap/identities/us-east-1%3Ai/datasets/d/records?lastSyncCount=1&maxResults=1024");
    CHECK_THAT(s.asked[1].target, Catch::EndsWith("&nextToken=n%2F1"));
    CHECK(api.requests() == 2);
}

TEST_CASE("a Cognito Identity call names its operation, and an error keeps its AWS type", "[migrate]") {
    scripted s;
    s.replies = {{200, R"({"Identities":[{"IdentityId":"us-east-1:i","Logins":["login.app"],"CreationDate":10,"LastModifiedDate":20.5}],"NextToken":"t"})"},
                 {400, R"({"__type":"com.amazonaws.cognito.identity#ResourceNotFoundException","message":"no pool"})"}};
    source_api api(s.transport());
    auto page = api.list_identities("us-east-1:p", "");
    CHECK(s.asked[0].operation == "ListIdentities");
    CHECK(s.asked[0].body == R"({"IdentityPoolId":"us-east-1:p","MaxResults":60})");
    REQUIRE(page.identities.size() == 1);
    CHECK(page.identities[0].identity.last_modified_ms == 20500);
    CHECK(page.identities[0].providers == std::vector<std::string>{"login.app"});
    CHECK(page.next_token == "t");
    try {
        api.describe_pool("us-east-1:p");
        FAIL("no error");
    } catch (const source_error& e) {
        CHECK(e.type() == "ResourceNotFoundException");
        CHECK_THAT(e.what(), Catch::Contains("no pool"));
    }
}

TEST_CASE("a source that answers the NextToken it was asked with is refused, not paged for ever", "[migrate]") {
    scripted s;
    s.replies = {{200, R"({"Datasets":[],"NextToken":"same"})"}, {200, R"({"Datasets":[],"NextToken":"same"})"}};
    source_api api(s.transport());
    CHECK_THROWS_WITH(api.list_datasets("us-east-1:p", "us-east-1:i"), Catch::Contains("NextToken it was asked with"));
    CHECK(s.asked.size() == 2);
}

TEST_CASE("a checkpoint reads back as written; a stopped run resumes, a finished one is followed", "[migrate]") {
    checkpoint c;
    c.source = "http://source";
    CHECK_FALSE(c.begin_run());
    CHECK(c.run == 1);
    c.pools["us-east-1:p"]["us-east-1:i"] = {1, {{"d", 4}}};
    auto back = checkpoint_from_json(to_json(c));
    CHECK(back.source == "http://source");
    CHECK(back.pools.at("us-east-1:p").at("us-east-1:i").datasets.at("d") == 4);
    CHECK(back.begin_run());
    CHECK(back.run == 1);
    back.complete = true;
    CHECK_FALSE(back.begin_run());
    CHECK(back.run == 2);
    CHECK_THROWS_WITH(checkpoint_from_json(R"({"format":"other"})"), Catch::Contains("not a migrate checkpoint"));
}
