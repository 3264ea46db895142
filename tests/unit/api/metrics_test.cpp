#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "api/metrics.hpp"
#include "api/prometheus_text.hpp"
#include "api/router.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync::api;
using namespace std::chrono_literals;

namespace {

namespace st = cogsync::storage;

struct temp_store {
    st::testing::temp_dir dir;
    st::sqlite_store store{st::testing::sqlite_options(dir, st::durability::normal)};
};

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

std::size_t series_of(const char* operation) {
    for (const auto& r : route_table())
        if (std::string(r.operation) == operation) return metrics::route_series(r);
    FAIL("no route " << operation);
    return 0;
}

}  // namespace

TEST_CASE("metrics text: label values escape backslash, quote and line feed; help escapes backslash and line feed") {
    CHECK(escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
    prometheus_text out;
    out.family("m", "gauge", "two\nlines \\ \"quoted\"");
    out.sample("m", {{"sink", "x\"y"}}, 1.5);
    CHECK(out.text() == "# HELP m two\\nlines \\\\ \"quoted\"\n# TYPE m gauge\nm{sink=\"x\\\"y\"} 1.5\n");
}

TEST_CASE("metrics text: values in their shortest form, infinities spelled +Inf") {
    CHECK(format_metric_value(3) == "3");
    CHECK(format_metric_value(0.005) == "0.005");
    CHECK(format_metric_value(0.0005) == "0.0005");
    CHECK(format_metric_value(1.0 / 0.0) == "+Inf");
    CHECK(format_metric_value(-1.0 / 0.0) == "-Inf");
}

TEST_CASE("metrics: counted by operation and status, latency buckets cumulative up to +Inf with sum and count") {
    temp_store t;
    auto& store = t.store;
    metrics m;
    const auto list = series_of("ListRecords");
    m.observe(list, 200, 300us);   // le 0.0005
    m.observe(list, 200, 3ms);     // le 0.005
    m.observe(list, 400, 20s);     // beyond every bound
    m.observe(metrics::op_unknown, 404, 1ms);
    const auto text = m.scrape(store).body;

    CHECK(has_line(text, R"(cogsync_requests_total{operation="ListRecords",status="200"} 2)"));
    CHECK(has_line(text, R"(cogsync_requests_total{operation="ListRecords",status="400"} 1)"));
    CHECK(has_line(text, R"(cogsync_requests_total{operation="Unknown",status="404"} 1)"));
    CHECK(text.find(R"(operation="ListRecords",status="404")") == std::string::npos);
    CHECK(has_line(text, R"(cogsync_request_duration_seconds_bucket{operation="ListRecords",le="0.0005"} 1)"));
    CHECK(has_line(text, R"(cogsync_request_duration_seconds_bucket{operation="ListRecords",le="0.001"} 1)"));
    CHECK(has_line(text, R"(cogsync_request_duration_seconds_bucket{operation="ListRecords",le="0.005"} 2)"));
    CHECK(has_line(text, R"(cogsync_request_duration_seconds_bucket{operation="ListRecords",le="10"} 2)"));
    CHECK(has_line(text, R"(cogsync_request_duration_seconds_bucket{operation="ListRecords",le="+Inf"} 3)"));
    CHECK(has_line(text, R"(cogsync_request_duration_seconds_sum{operation="ListRecords"} 20.0033)"));
    CHECK(has_line(text, R"(cogsync_request_duration_seconds_count{operation="ListRecords"} 3)"));
    CHECK(has_line(text, "# TYPE cogsync_request_duration_seconds histogram"));
}

TEST_CASE("metrics: a 409 of UpdateRecords is a conflict, of another operation not") {
    temp_store t;
    auto& store = t.store;
    metrics m;
    m.observe(series_of("UpdateRecords"), 409, 1ms);
    m.observe(series_of("UpdateRecords"), 200, 1ms);
    m.observe(series_of("RegisterDevice"), 409, 1ms);
    m.session_token_issued();
    const auto text = m.scrape(store).body;
    CHECK(has_line(text, "cogsync_sync_conflicts_total 1"));
    CHECK(has_line(text, "cogsync_sync_session_tokens_issued_total 1"));
}

TEST_CASE("metrics: server and store samples follow, one HELP and TYPE per family") {
    temp_store t;
    auto& store = t.store;
    metrics m;
    m.set_server_samples([] {
        return std::vector<cogsync::storage::metric_sample>{
            {"cogsync_dead_letters", "gauge", "h", "", {{"sink", "sink.a"}}, 2},
            {"cogsync_dead_letters", "gauge", "h", "", {{"sink", "sink.b"}}, 0}};
    });
    const auto r = m.scrape(store);
    CHECK(r.headers.at(0).second == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(has_line(r.body, "# TYPE cogsync_dead_letters gauge"));
    CHECK(r.body.find("# TYPE cogsync_dead_letters") == r.body.rfind("# TYPE cogsync_dead_letters"));
    CHECK(has_line(r.body, R"(cogsync_dead_letters{sink="sink.a"} 2)"));
    CHECK(has_line(r.body, R"(cogsync_dead_letters{sink="sink.b"} 0)"));
}

TEST_CASE("metrics: the store's own samples, a write counted in the batch-size histogram") {
    temp_store t;
    t.store.write([](st::write_view&) { return true; });
    metrics m;
    const auto text = m.scrape(t.store).body;
    CHECK(has_line(text, "# TYPE cogsync_write_batch_size histogram"));
    CHECK(has_line(text, R"(cogsync_write_batch_size_bucket{le="1"} 1)"));
    CHECK(has_line(text, R"(cogsync_write_batch_size_bucket{le="+Inf"} 1)"));
    CHECK(has_line(text, "cogsync_write_batch_size_count 1"));
    CHECK(has_line(text, "cogsync_write_jobs_total 1"));
    CHECK(text.find("\ncogsync_database_bytes ") != std::string::npos);
    CHECK(text.find("\ncogsync_database_bytes 0\n") == std::string::npos);
}
