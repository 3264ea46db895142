#pragma once
// The credentials file: which access keys may call the server, their secrets, and what each may
// touch (PROTOCOL.md 8). A leaf of the config layer: plain data, no API types.
//
// Format (UTF-8 text, one setting per line):
//
//   # cogsync credentials
//   [AKIDEVELOPER0001]                 one section per access key: letters, digits and '_'
//   secret = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
//   kind = developer                   developer | identity (required)
//   pools = us-east-1:0000..., us-east-1:1111...   developer only: comma-separated pool ids, or *
//   account = 123456789012             developer only, optional: the 12-digit AWS account id written
//                                      as LastModifiedBy (default: the server's --account-id)
//
//   [ASIAIDENTITY0001]
//   secret = ...
//   kind = identity
//   pool = us-east-1:...               identity only (required): the identity pool
//   identity = us-east-1:...           identity only (required): the one identity the key acts as
//   session_token = ...                optional, either kind: requests must then send exactly this
//                                      value as X-Amz-Security-Token
//
// Blank lines are ignored. '#' starts a comment at the start of a line or after whitespace, so
// values may not contain " #". Names and values are trimmed. `secret` is required and may not
// contain whitespace.
//
// Any error throws std::runtime_error("<path>:<line>: <what>"): an unreadable file, a malformed
// line or section header, a setting outside a section, an unknown or repeated setting, a missing
// secret or kind, an unknown kind, developer settings on an identity key or the other way round,
// a developer key without pools, an identity key without pool or identity, an empty pool list
// entry, an account that is not 12 digits, and a duplicate access key.
#include <optional>
#include <string>
#include <vector>

namespace cogsync::config {

struct credential {
    std::string access_key;
    std::string secret;
    std::optional<std::string> session_token;
    // The type and the member share the name (as in the API brief); spell the type
    // `credential::kind::developer` and the member `c.kind`.
    enum class kind { developer, identity } kind = kind::developer;
    bool all_pools = false;               // developer: "pools = *"
    std::vector<std::string> pools;       // developer: the listed pools (empty when all_pools)
    std::string account_id;               // developer: its account id; empty = the server's default
    std::string identity_pool;            // identity: its pool
    std::string identity_id;              // identity: its identity
};

// Whether `creds` hold a developer key; sigv4 mode without one runs on minted keys alone.
bool has_developer_key(const std::vector<credential>& creds);

// What sigv4 mode without a developer key means, for the startup log and `config show`.
inline constexpr const char* no_developer_key_note =
    "only keys minted by GetCredentialsForIdentity authenticate; developer operations are refused "
    "(NotAuthorizedException)";

// Parses the credentials file at `path`, in file order. Throws std::runtime_error (see above).
std::vector<credential> load_credentials_file(const std::string& path);

// Same, from text already in memory; `name` is used in error messages in place of a path.
std::vector<credential> parse_credentials(const std::string& text, const std::string& name);

// Whether `text` is an AWS account id: exactly 12 decimal digits.
bool valid_account_id(const std::string& text);

}  // namespace cogsync::config
