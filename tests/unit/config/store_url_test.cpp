#include <catch2/catch.hpp>

#include "config/store_url.hpp"

using namespace cogsync::config;

TEST_CASE("a store URL's password is masked, whatever it holds", "[store_url]") {
    CHECK(masked_store_url("postgres://cogsync:s3cret@db:5432/cogsync") == "postgres://cogsync:***@db:5432/cogsync");
    CHECK(masked_store_url("postgresql://u:p@ss:w@rd@db/x?sslmode=require") == "postgresql://u:***@db/x?sslmode=require");
    CHECK(masked_store_url("postgres://u:p@db/x?options=a@b") == "postgres://u:***@db/x?options=a@b");
}

TEST_CASE("a store URL without a password is shown as it is", "[store_url]") {
    CHECK(masked_store_url("postgres://cogsync@db/cogsync") == "postgres://cogsync@db/cogsync");
    CHECK(masked_store_url("postgresql://cogsync@/postgres?host=/tmp/x") == "postgresql://cogsync@/postgres?host=/tmp/x");
    CHECK(masked_store_url("postgres://db:5432/x") == "postgres://db:5432/x");
    CHECK(masked_store_url("") == "");
}

TEST_CASE("only postgres:// and postgresql:// URLs name a PostgreSQL store", "[store_url]") {
    CHECK(is_postgres_url("postgres://db/x"));
    CHECK(is_postgres_url("postgresql://db/x"));
    CHECK_FALSE(is_postgres_url("mysql://db/x"));
    CHECK_FALSE(is_postgres_url("host=db dbname=x"));
    CHECK_FALSE(is_postgres_url(""));
}
