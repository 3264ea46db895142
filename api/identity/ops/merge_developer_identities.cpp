// MergeDeveloperIdentities: the identity of SourceUserIdentifier goes into the identity of
// DestinationUserIdentifier, both users of the pool's developer provider (api/identity/merge.hpp
// for what moves). A user linked to no identity of the pool (a user of another pool included) is
// ResourceNotFoundException; both users on one identity is ResourceConflictException; a merge
// the destination's dataset limit cannot hold is LimitExceededException, with nothing changed.
#include <memory>

#include "api/api_error.hpp"
#include "api/identity/developer_login.hpp"
#include "api/identity/merge.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {
namespace {

enum class failure { none, no_pool, unsupported, no_source, no_destination, same_identity, limit, name };

struct merge_state {
    std::string pool, provider, source_user, destination_user, destination;
    failure failed = failure::no_pool;
};

failure run(merge_state& s, storage::write_view& v, const sync_limits& limits, int64_t now) {
    auto p = v.find_identity_pool(s.pool);
    if (!p) return failure::no_pool;
    if (p->developer_provider_name.empty() || p->developer_provider_name != s.provider) return failure::unsupported;
    auto source = v.find_login(s.pool, s.provider, s.source_user);
    if (!source) return failure::no_source;
    auto destination = v.find_login(s.pool, s.provider, s.destination_user);
    if (!destination) return failure::no_destination;
    if (*source == *destination) return failure::same_identity;
    s.destination = *destination;
    switch (merge_identities(v, s.pool, *destination, *source, limits, now)) {
        case merge_outcome::merged: return failure::none;
        case merge_outcome::too_many_datasets: return failure::limit;
        case merge_outcome::name_too_long:
        case merge_outcome::name_taken: return failure::name;
    }
    return failure::none;
}

[[noreturn]] void refuse(const merge_state& s) {
    switch (s.failed) {
        case failure::no_pool: pool_not_found(s.pool);
        case failure::unsupported: unsupported_developer_provider();
        case failure::no_source:
        case failure::no_destination:
            throw api_error(error_code::resource_not_found,
                            "Developer user identifier '" +
                                (s.failed == failure::no_source ? s.source_user : s.destination_user) + "' not found.");
        case failure::same_identity:
            throw api_error(error_code::resource_conflict, "Source and destination users are linked to the same identity.");
        case failure::limit:
            throw api_error(error_code::limit_exceeded,
                            "The merged datasets would exceed the destination identity's dataset limit.");
        case failure::name:
        case failure::none: break;
    }
    throw api_error(error_code::resource_conflict,
                    "A merged dataset name is taken on the destination identity or longer than 128 characters.");
}

}  // namespace

step merge_developer_identities(const identity_call& c, context& ctx) {
    auto s = std::make_shared<merge_state>();
    s->source_user = required_developer_user(c.input, "SourceUserIdentifier");
    s->destination_user = required_developer_user(c.input, "DestinationUserIdentifier");
    s->provider = required_string(c.input, "DeveloperProviderName");
    check_class(s->provider, "DeveloperProviderName", 1, 128, "._-", "[\\w._-]+");
    s->pool = pool_id_member(c.input);
    c.check_pool(s->pool);
    const auto now = ctx.now_ms();
    const auto limits = ctx.limits;
    auto job = [s, now, limits](storage::write_view& v) {
        s->failed = run(*s, v, limits, now);
        return s->failed == failure::none;
    };
    return write_step{job, [s]() -> step {
                          if (s->failed != failure::none) refuse(*s);
                          return identity_id_response(s->destination);
                      }};
}

}  // namespace cogsync::api::identity::ops
