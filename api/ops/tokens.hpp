#pragma once
// Bindings and payloads of the tokens operations hand out (PROTOCOL.md 5.5, 5.9).
#include <optional>
#include <string>

#include "api/context.hpp"
#include "storage/model.hpp"

namespace cogsync::api::ops {

// A SyncSessionToken for this dataset, valid for ctx.session_ttl_ms; counted in pool usage.
std::string issue_session_token(context& ctx, const storage::dataset_id& id);

// The session a token names, after checking signature, binding and expiry (400 otherwise).
// Whether it was already spent is the caller's check, inside its transaction.
session_ticket open_session_token(context& ctx, const storage::dataset_id& id, const std::string& token);

std::string dataset_binding(const char* purpose, const storage::dataset_id& id);

}  // namespace cogsync::api::ops
