#include <catch2/catch.hpp>

#include <stdexcept>

#include "storage/sqlite/sqlite.hpp"
#include "tests/unit/storage/store_fixture.hpp"

using namespace cogsync::storage;
using cogsync::storage::testing::temp_dir;

TEST_CASE("statements bind and read back text byte for byte", "[sqlite]") {
    temp_dir dir;
    connection c(dir.db(), open_mode::read_write);
    c.exec("CREATE TABLE t(k TEXT, v TEXT, n INTEGER)");
    const std::string with_nul("a\0b\xF0\x9F\x98\x80", 7);
    {
        auto q = c.prepare("INSERT INTO t VALUES(?1, ?2, ?3)");
        q->bind_all(with_nul, std::optional<std::string>{}, int64_t{-7});
        CHECK_FALSE(q->step());
    }
    auto q = c.prepare("SELECT k, v, n, length(CAST(k AS BLOB)) FROM t");
    REQUIRE(q->step());
    CHECK(q->column_text(0) == with_nul);
    CHECK(q->column_opt_text(1) == std::nullopt);
    CHECK(q->column_int(2) == -7);
    CHECK(q->column_int(3) == 7);
    CHECK_FALSE(q->step());
}

TEST_CASE("an empty string binds as empty text, not NULL", "[sqlite]") {
    temp_dir dir;
    connection c(dir.db(), open_mode::read_write);
    auto q = c.prepare("SELECT ?1 IS NULL, length(?1)");
    q->bind(1, std::string_view());
    REQUIRE(q->step());
    CHECK(q->column_int(0) == 0);
    CHECK(q->column_int(1) == 0);
}

TEST_CASE("failures throw storage_error with SQLite's message", "[sqlite]") {
    temp_dir dir;
    connection c(dir.db(), open_mode::read_write);
    CHECK_THROWS_WITH(c.prepare("SELEKT 1"), Catch::Contains("syntax error"));
    CHECK_THROWS_AS(c.exec("INSERT INTO missing VALUES(1)"), storage_error);
    c.exec("CREATE TABLE u(k TEXT PRIMARY KEY)");
    c.exec("INSERT INTO u VALUES('x')");
    auto q = c.prepare("INSERT INTO u VALUES('x')");
    CHECK_THROWS_WITH(q->step(), Catch::Contains("UNIQUE constraint failed"));
    CHECK_THROWS_AS(connection((dir.path() / "no" / "such.db").string(), open_mode::read_write), storage_error);
}

TEST_CASE("the statement cache reuses a statement and refuses a double checkout", "[sqlite]") {
    temp_dir dir;
    connection c(dir.db(), open_mode::read_write);
    for (int64_t i = 0; i < 3; ++i) {
        auto q = c.prepare("SELECT ?1 + 1");
        q->bind(1, i);
        REQUIRE(q->step());
        CHECK(q->column_int(0) == i + 1);
    }
    auto held = c.prepare("SELECT 1");
    CHECK_THROWS_AS(c.prepare("SELECT 1"), std::logic_error);
}

TEST_CASE("a read-only connection cannot write", "[sqlite]") {
    temp_dir dir;
    connection w(dir.db(), open_mode::read_write);
    w.exec("CREATE TABLE t(x)");
    connection r(dir.db(), open_mode::read_only);
    CHECK_THROWS_WITH(r.exec("INSERT INTO t VALUES(1)"), Catch::Contains("readonly"));
}
