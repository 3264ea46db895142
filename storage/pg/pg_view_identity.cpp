// pg_view for the Cognito Identity endpoint (schema step 3).
#include "storage/pg/pg_view.hpp"

namespace cogsync::storage {
namespace {

constexpr const char* select_pool =
    "SELECT id, name, allow_unauthenticated, allow_classic_flow, developer_provider_name, description, roles,"
    " created_ms FROM identity_pools ";
constexpr const char* select_identity = "SELECT pool, identity_id, created_ms, last_modified_ms FROM identities ";

std::vector<identity_pool> pool_rows(const pg_rows& r) {
    std::vector<identity_pool> out;
    for (int i = 0; i < r.size(); ++i)
        out.push_back({r.text(i, 0), r.text(i, 1), r.integer(i, 2) != 0, r.integer(i, 3) != 0,
                       r.opt_text(i, 4).value_or(""), r.text(i, 5), r.text(i, 6), r.integer(i, 7)});
    return out;
}

std::vector<identity> identity_rows(const pg_rows& r) {
    std::vector<identity> out;
    for (int i = 0; i < r.size(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.integer(i, 2), r.integer(i, 3)});
    return out;
}

std::vector<std::string> first_column(const pg_rows& r) {
    std::vector<std::string> out;
    for (int i = 0; i < r.size(); ++i) out.push_back(r.text(i, 0));
    return out;
}

template <class Row>
std::optional<Row> first(std::vector<Row> all) {
    if (all.empty()) return std::nullopt;
    return std::move(all.front());
}

std::optional<std::string> null_if_empty(const std::string& s) {
    if (s.empty()) return std::nullopt;
    return s;
}

}  // namespace

std::optional<identity_pool> pg_view::find_identity_pool(const std::string& pool) {
    return first(pool_rows(c_.exec(std::string(select_pool) + "WHERE id = $1", pool)));
}

std::vector<identity_pool> pg_view::identity_pools_page(const std::string& after_pool, std::size_t limit) {
    return pool_rows(c_.exec(std::string(select_pool) + "WHERE id > $1 ORDER BY id LIMIT $2", after_pool, pg_limit(limit)));
}

std::optional<identity_pool> pg_view::find_pool_by_developer_provider(const std::string& name) {
    return first(pool_rows(c_.exec(std::string(select_pool) + "WHERE developer_provider_name = $1", name)));
}

std::optional<identity> pg_view::find_identity(const std::string& identity_id) {
    return first(identity_rows(c_.exec(std::string(select_identity) + "WHERE identity_id = $1", identity_id)));
}

std::vector<identity> pg_view::identities_page(const std::string& pool, const std::string& after_id,
                                               std::size_t limit) {
    return identity_rows(c_.exec(
        std::string(select_identity) + "WHERE pool = $1 AND identity_id > $2 ORDER BY identity_id LIMIT $3", pool,
        after_id, pg_limit(limit)));
}

std::optional<std::string> pg_view::find_login(const std::string& pool, const std::string& provider,
                                               const std::string& subject) {
    return first(first_column(c_.exec(
        "SELECT identity_id FROM identity_logins WHERE pool = $1 AND provider = $2 AND subject = $3", pool, provider,
        subject)));
}

std::vector<identity_login> pg_view::logins_of_identity(const std::string& pool, const std::string& identity_id) {
    auto r = c_.exec(
        "SELECT provider, subject FROM identity_logins WHERE pool = $1 AND identity_id = $2 ORDER BY provider, subject",
        pool, identity_id);
    std::vector<identity_login> out;
    for (int i = 0; i < r.size(); ++i) out.push_back({r.text(i, 0), r.text(i, 1)});
    return out;
}

std::vector<std::string> pg_view::merged_into(const std::string& pool, const std::string& destination) {
    return first_column(c_.exec(
        "SELECT source_identity FROM identity_merges WHERE pool = $1 AND destination_identity = $2"
        " ORDER BY source_identity",
        pool, destination));
}

std::optional<minted_credential> pg_view::find_minted_credential(const std::string& access_key) {
    auto r = c_.exec(
        "SELECT access_key, secret, session_token, pool, identity_id, expires_ms FROM minted_credentials"
        " WHERE access_key = $1",
        access_key);
    if (r.empty()) return std::nullopt;
    return minted_credential{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.text(0, 3), r.text(0, 4), r.integer(0, 5)};
}

// A concurrent pool taking the same developer provider name fails this job's INSERT on the
// UNIQUE column; the store runs the job again (pg_store.cpp), and the check then sees it.
bool pg_view::save_identity_pool(const identity_pool& p) {
    if (!p.developer_provider_name.empty()) {
        auto holder = find_pool_by_developer_provider(p.developer_provider_name);
        if (holder && holder->id != p.id) return false;
    }
    c_.exec(
        "INSERT INTO identity_pools(id, name, allow_unauthenticated, allow_classic_flow, developer_provider_name,"
        " description, roles, created_ms) VALUES($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT(id) DO UPDATE SET name = excluded.name, allow_unauthenticated = excluded.allow_unauthenticated,"
        " allow_classic_flow = excluded.allow_classic_flow, developer_provider_name = excluded.developer_provider_name,"
        " description = excluded.description, roles = excluded.roles, created_ms = excluded.created_ms",
        p.id, p.name, p.allow_unauthenticated, p.allow_classic_flow, null_if_empty(p.developer_provider_name),
        p.description, p.roles, p.created_ms);
    return true;
}

bool pg_view::delete_identity_pool(const std::string& pool) {
    for (const char* sql : {"DELETE FROM identities WHERE pool = $1", "DELETE FROM identity_logins WHERE pool = $1",
                            "DELETE FROM identity_merges WHERE pool = $1",
                            "DELETE FROM minted_credentials WHERE pool = $1"})
        c_.exec(sql, pool);
    return c_.exec("DELETE FROM identity_pools WHERE id = $1", pool).affected() == 1;
}

void pg_view::save_identity(const identity& i) {
    c_.exec(
        "INSERT INTO identities(pool, identity_id, created_ms, last_modified_ms) VALUES($1, $2, $3, $4)"
        " ON CONFLICT(pool, identity_id) DO UPDATE SET created_ms = excluded.created_ms,"
        " last_modified_ms = excluded.last_modified_ms",
        i.pool, i.id, i.created_ms, i.last_modified_ms);
}

bool pg_view::delete_identity(const std::string& identity_id) {
    auto found = find_identity(identity_id);
    if (!found) return false;
    const auto& pool = found->pool;
    c_.exec("DELETE FROM identity_logins WHERE pool = $1 AND identity_id = $2", pool, identity_id);
    c_.exec("DELETE FROM identity_merges WHERE pool = $1 AND (destination_identity = $2 OR source_identity = $2)", pool,
            identity_id);
    revoke_credentials(pool, identity_id);
    return c_.exec("DELETE FROM identities WHERE pool = $1 AND identity_id = $2", pool, identity_id).affected() == 1;
}

void pg_view::link_login(const std::string& pool, const identity_login& l, const std::string& identity_id) {
    c_.exec(
        "INSERT INTO identity_logins(pool, provider, subject, identity_id) VALUES($1, $2, $3, $4)"
        " ON CONFLICT(pool, provider, subject) DO UPDATE SET identity_id = excluded.identity_id",
        pool, l.provider, l.subject, identity_id);
}

bool pg_view::unlink_login(const std::string& pool, const identity_login& l, const std::string& identity_id) {
    return c_.exec("DELETE FROM identity_logins WHERE pool = $1 AND provider = $2 AND subject = $3 AND identity_id = $4",
                   pool, l.provider, l.subject, identity_id)
               .affected() == 1;
}

void pg_view::record_merge(const std::string& pool, const std::string& destination, const std::string& source) {
    c_.exec("INSERT INTO identity_merges(pool, destination_identity, source_identity) VALUES($1, $2, $3)"
            " ON CONFLICT DO NOTHING",
            pool, destination, source);
}

void pg_view::save_minted_credential(const minted_credential& c) {
    c_.exec(
        "INSERT INTO minted_credentials(access_key, secret, session_token, pool, identity_id, expires_ms)"
        " VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT(access_key) DO UPDATE SET secret = excluded.secret,"
        " session_token = excluded.session_token, pool = excluded.pool, identity_id = excluded.identity_id,"
        " expires_ms = excluded.expires_ms",
        c.access_key, c.secret, c.session_token, c.pool, c.identity_id, c.expires_ms);
}

int64_t pg_view::revoke_credentials(const std::string& pool, const std::string& identity_id) {
    return c_.exec("DELETE FROM minted_credentials WHERE pool = $1 AND identity_id = $2", pool, identity_id).affected();
}

int64_t pg_view::purge_expired_credentials(int64_t now_ms) {
    return c_.exec("DELETE FROM minted_credentials WHERE expires_ms <= $1", now_ms).affected();
}

}  // namespace cogsync::storage
