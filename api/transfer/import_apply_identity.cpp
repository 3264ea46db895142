// Import of identity pools and identities (README "Export and import"). A pool that differs from
// the stored one is refused, as a pool configuration is. An identity is replaced (its logins and
// merges included) by a line of the same or a later last_modified_ms, never by an earlier one, so
// an import or migrate run again changes nothing and never undoes what the target did since.
#include <algorithm>

#include "api/transfer/import_apply.hpp"

namespace cogsync::api::transfer {
namespace {

apply_result refused(std::string why) { return {applied::refused, std::move(why)}; }

bool same_login(const storage::identity_login& a, const storage::identity_login& b) {
    return a.provider == b.provider && a.subject == b.subject;
}

bool has_login(const std::vector<storage::identity_login>& logins, const storage::identity_login& l) {
    return std::any_of(logins.begin(), logins.end(), [&](const auto& x) { return same_login(x, l); });
}

bool same_logins(const std::vector<storage::identity_login>& a, const std::vector<storage::identity_login>& b) {
    return a.size() == b.size() && std::all_of(a.begin(), a.end(), [&](const auto& l) { return has_login(b, l); });
}

// Merges are only ever added (a merge cannot be undone), so a line naming fewer is not a change.
bool merged_already(const std::vector<std::string>& stored, const std::vector<std::string>& merged) {
    return std::all_of(merged.begin(), merged.end(),
                       [&](const auto& m) { return std::find(stored.begin(), stored.end(), m) != stored.end(); });
}

// created_ms 0 in a line is unknown (a pool read through the API) and matches any.
bool same_pool(const storage::identity_pool& stored, const storage::identity_pool& p) {
    return stored.name == p.name && stored.allow_unauthenticated == p.allow_unauthenticated &&
           stored.allow_classic_flow == p.allow_classic_flow &&
           stored.developer_provider_name == p.developer_provider_name && stored.description == p.description &&
           stored.roles == p.roles && (p.created_ms == 0 || stored.created_ms == p.created_ms);
}

}  // namespace

apply_result apply_identity_pool(storage::write_view& v, const storage::identity_pool& p) {
    auto stored = v.find_identity_pool(p.id);
    if (stored && same_pool(*stored, p)) return {applied::unchanged, {}};
    if (stored) return refused("identity pool " + p.id + ": the store holds another description of it; not replaced");
    if (!v.save_identity_pool(p))
        return refused("identity pool " + p.id + ": another pool has the developer provider name '" +
                       p.developer_provider_name + "'");
    return {};
}

apply_result apply_identity(storage::write_view& v, const identity_entry& e) {
    const auto& i = e.identity;
    const auto what = "identity " + i.id + ": ";
    v.lock_identity(i.pool, i.id);
    if (!v.find_identity_pool(i.pool)) return refused(what + "no identity pool " + i.pool + " in the store");
    auto stored = v.find_identity(i.id);
    if (stored && stored->pool != i.pool) return refused(what + "the store holds it in pool " + stored->pool);
    for (const auto& l : e.logins) {
        auto holder = v.find_login(i.pool, l.provider, l.subject);
        if (holder && *holder != i.id)
            return refused(what + "login " + l.provider + " " + l.subject + " is linked to identity " + *holder);
    }
    std::vector<storage::identity_login> stored_logins;
    if (stored) {
        if (stored->last_modified_ms > i.last_modified_ms)
            return refused(what + "the store's last_modified_ms " + std::to_string(stored->last_modified_ms) +
                           " is later than the file's " + std::to_string(i.last_modified_ms) + "; not replaced");
        stored_logins = v.logins_of_identity(i.pool, i.id);
        if (stored->created_ms == i.created_ms && stored->last_modified_ms == i.last_modified_ms &&
            same_logins(stored_logins, e.logins) && merged_already(v.merged_into(i.pool, i.id), e.merged))
            return {applied::unchanged, {}};
    }
    for (const auto& l : stored_logins)
        if (!has_login(e.logins, l)) v.unlink_login(i.pool, l, i.id);
    v.save_identity(i);
    for (const auto& l : e.logins) v.link_login(i.pool, l, i.id);
    for (const auto& source : e.merged) v.record_merge(i.pool, i.id, source);
    return {};
}

}  // namespace cogsync::api::transfer
