#pragma once
// The key that signs the OpenID tokens issued here and verifies them when they come back as
// logins: from the context's cache when there is one, else read from the store.
#include "api/context.hpp"
#include "api/identity/tokens/signing_key.hpp"

namespace cogsync::api::identity {

inline signing_key node_signing_key(context& ctx) {
    return ctx.signing_keys ? ctx.signing_keys->get() : load_or_create_signing_key(ctx.store);
}

}  // namespace cogsync::api::identity
