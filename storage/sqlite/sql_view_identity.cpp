// sql_view for the Cognito Identity endpoint (schema step 6). Like the rest of sql_view, it runs
// inside whatever transaction is open.
#include "storage/sqlite/sql_view.hpp"

namespace cogsync::storage {
namespace {

constexpr const char* select_pool =
    "SELECT id, name, allow_unauthenticated, allow_classic_flow, developer_provider_name, description, roles,"
    " created_ms FROM identity_pools ";
constexpr const char* select_identity = "SELECT pool, identity_id, created_ms, last_modified_ms FROM identities ";

identity_pool pool_row(statement& s) {
    return {s.column_text(0), s.column_text(1), s.column_int(2) != 0, s.column_int(3) != 0,
            s.column_opt_text(4).value_or(""), s.column_text(5), s.column_text(6), s.column_int(7)};
}

identity identity_row(statement& s) { return {s.column_text(0), s.column_text(1), s.column_int(2), s.column_int(3)}; }

template <class Row, class... Args>
std::vector<Row> rows(connection& c, const std::string& sql, Row (*read)(statement&), const Args&... args) {
    auto q = c.prepare(sql);
    q->bind_all(args...);
    std::vector<Row> out;
    while (q->step()) out.push_back(read(*q));
    return out;
}

template <class Row, class... Args>
std::optional<Row> one(connection& c, const std::string& sql, Row (*read)(statement&), const Args&... args) {
    auto all = rows(c, sql, read, args...);
    if (all.empty()) return std::nullopt;
    return std::move(all.front());
}

template <class... Args>
int64_t run(connection& c, const char* sql, const Args&... args) {
    auto q = c.prepare(sql);
    q->bind_all(args...);
    q->step();
    return c.changes();
}

std::optional<std::string> null_if_empty(const std::string& s) {
    if (s.empty()) return std::nullopt;
    return s;
}

}  // namespace

std::optional<identity_pool> sql_view::find_identity_pool(const std::string& pool) {
    return one(c_, std::string(select_pool) + "WHERE id = ?1", pool_row, pool);
}

std::vector<identity_pool> sql_view::identity_pools_page(const std::string& after_pool, std::size_t limit) {
    return rows(c_, std::string(select_pool) + "WHERE id > ?1 ORDER BY id LIMIT ?2", pool_row, after_pool,
                sql_limit(limit));
}

std::optional<identity_pool> sql_view::find_pool_by_developer_provider(const std::string& name) {
    return one(c_, std::string(select_pool) + "WHERE developer_provider_name = ?1", pool_row, name);
}

std::optional<identity> sql_view::find_identity(const std::string& identity_id) {
    return one(c_, std::string(select_identity) + "WHERE identity_id = ?1", identity_row, identity_id);
}

std::vector<identity> sql_view::identities_page(const std::string& pool, const std::string& after_id,
                                                std::size_t limit) {
    return rows(c_, std::string(select_identity) + "WHERE pool = ?1 AND identity_id > ?2 ORDER BY identity_id LIMIT ?3",
                identity_row, pool, after_id, sql_limit(limit));
}

std::optional<std::string> sql_view::find_login(const std::string& pool, const std::string& provider,
                                                const std::string& subject) {
    auto q = c_.prepare("SELECT identity_id FROM identity_logins WHERE pool = ?1 AND provider = ?2 AND subject = ?3");
    q->bind_all(pool, provider, subject);
    if (q->step()) return q->column_text(0);
    return std::nullopt;
}

std::vector<identity_login> sql_view::logins_of_identity(const std::string& pool, const std::string& identity_id) {
    return rows(c_,
                "SELECT provider, subject FROM identity_logins WHERE pool = ?1 AND identity_id = ?2"
                " ORDER BY provider, subject",
                +[](statement& s) { return identity_login{s.column_text(0), s.column_text(1)}; }, pool, identity_id);
}

std::vector<std::string> sql_view::merged_into(const std::string& pool, const std::string& destination) {
    return rows(c_,
                "SELECT source_identity FROM identity_merges WHERE pool = ?1 AND destination_identity = ?2"
                " ORDER BY source_identity",
                +[](statement& s) { return s.column_text(0); }, pool, destination);
}

std::optional<minted_credential> sql_view::find_minted_credential(const std::string& access_key) {
    return one(c_,
               "SELECT access_key, secret, session_token, pool, identity_id, expires_ms FROM minted_credentials"
               " WHERE access_key = ?1",
               +[](statement& s) {
                   return minted_credential{s.column_text(0), s.column_text(1), s.column_text(2),
                                            s.column_text(3), s.column_text(4), s.column_int(5)};
               },
               access_key);
}

bool sql_view::save_identity_pool(const identity_pool& p) {
    if (!p.developer_provider_name.empty()) {
        auto holder = find_pool_by_developer_provider(p.developer_provider_name);
        if (holder && holder->id != p.id) return false;
    }
    run(c_,
        "INSERT INTO identity_pools(id, name, allow_unauthenticated, allow_classic_flow, developer_provider_name,"
        " description, roles, created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT(id) DO UPDATE SET name = excluded.name, allow_unauthenticated = excluded.allow_unauthenticated,"
        " allow_classic_flow = excluded.allow_classic_flow, developer_provider_name = excluded.developer_provider_name,"
        " description = excluded.description, roles = excluded.roles, created_ms = excluded.created_ms",
        p.id, p.name, int64_t{p.allow_unauthenticated}, int64_t{p.allow_classic_flow},
        null_if_empty(p.developer_provider_name), p.description, p.roles, p.created_ms);
    return true;
}

bool sql_view::delete_identity_pool(const std::string& pool) {
    for (const char* sql : {"DELETE FROM identities WHERE pool = ?1", "DELETE FROM identity_logins WHERE pool = ?1",
                            "DELETE FROM identity_merges WHERE pool = ?1",
                            "DELETE FROM minted_credentials WHERE pool = ?1"})
        run(c_, sql, pool);
    return run(c_, "DELETE FROM identity_pools WHERE id = ?1", pool) == 1;
}

void sql_view::save_identity(const identity& i) {
    run(c_,
        "INSERT INTO identities(pool, identity_id, created_ms, last_modified_ms) VALUES(?1, ?2, ?3, ?4)"
        " ON CONFLICT(pool, identity_id) DO UPDATE SET created_ms = excluded.created_ms,"
        " last_modified_ms = excluded.last_modified_ms",
        i.pool, i.id, i.created_ms, i.last_modified_ms);
}

bool sql_view::delete_identity(const std::string& identity_id) {
    auto found = find_identity(identity_id);
    if (!found) return false;
    const auto& pool = found->pool;
    run(c_, "DELETE FROM identity_logins WHERE pool = ?1 AND identity_id = ?2", pool, identity_id);
    run(c_, "DELETE FROM identity_merges WHERE pool = ?1 AND (destination_identity = ?2 OR source_identity = ?2)", pool,
        identity_id);
    revoke_credentials(pool, identity_id);
    return run(c_, "DELETE FROM identities WHERE pool = ?1 AND identity_id = ?2", pool, identity_id) == 1;
}

void sql_view::link_login(const std::string& pool, const identity_login& l, const std::string& identity_id) {
    run(c_,
        "INSERT INTO identity_logins(pool, provider, subject, identity_id) VALUES(?1, ?2, ?3, ?4)"
        " ON CONFLICT(pool, provider, subject) DO UPDATE SET identity_id = excluded.identity_id",
        pool, l.provider, l.subject, identity_id);
}

bool sql_view::unlink_login(const std::string& pool, const identity_login& l, const std::string& identity_id) {
    return run(c_, "DELETE FROM identity_logins WHERE pool = ?1 AND provider = ?2 AND subject = ?3 AND identity_id = ?4",
               pool, l.provider, l.subject, identity_id) == 1;
}

void sql_view::record_merge(const std::string& pool, const std::string& destination, const std::string& source) {
    run(c_, "INSERT OR IGNORE INTO identity_merges(pool, destination_identity, source_identity) VALUES(?1, ?2, ?3)",
        pool, destination, source);
}

void sql_view::save_minted_credential(const minted_credential& c) {
    run(c_,
        "INSERT OR REPLACE INTO minted_credentials(access_key, secret, session_token, pool, identity_id, expires_ms)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
        c.access_key, c.secret, c.session_token, c.pool, c.identity_id, c.expires_ms);
}

int64_t sql_view::revoke_credentials(const std::string& pool, const std::string& identity_id) {
    return run(c_, "DELETE FROM minted_credentials WHERE pool = ?1 AND identity_id = ?2", pool, identity_id);
}

int64_t sql_view::purge_expired_credentials(int64_t now_ms) {
    return run(c_, "DELETE FROM minted_credentials WHERE expires_ms <= ?1", now_ms);
}

}  // namespace cogsync::storage
