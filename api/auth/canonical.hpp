#pragma once
// The pieces of a SigV4 canonical request that are rebuilt from the raw request
// (PROTOCOL.md 1.1; AWS SigV4 test suite, "normalize" cases).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/request.hpp"

namespace cogsync::api::auth {

// RFC 3986 encoding: A-Za-z0-9-._~ kept, every other byte %XX uppercase; '/' kept when keep_slash.
std::string uri_encode(std::string_view in, bool keep_slash);

// Lenient percent-decoding for canonicalisation: a malformed escape stays literal; '+' stays '+'
// (SDKs send spaces as %20).
std::string uri_decode(std::string_view in);

// Canonical URI from the raw, still percent-encoded path: remove "." and ".." segments and empty
// segments ("//"), keep a trailing slash, then URI-encode each segment again. Never decodes first,
// so a wire "%3A" becomes "%253A" exactly as the SDKs sign it (PROTOCOL.md 1.1). The server
// refuses dot segments before verifying (api::refuse_dot_segments), so what it verifies is what
// it routes; the normalisation stays for the AWS test-suite vectors.
std::string canonical_uri(std::string_view raw_path);

// Raw query split on '&' into (decoded name, decoded value); empty pieces skipped.
std::vector<std::pair<std::string, std::string>> split_query(std::string_view raw_query);

// Canonical query: names/values re-encoded, sorted by encoded name then value; a parameter whose
// decoded name equals `exclude` (the presigned X-Amz-Signature) is left out.
std::string canonical_query(std::string_view raw_query, std::string_view exclude = {});

// Canonical header block ("name:value\n" per signed header, values trimmed, runs of whitespace
// collapsed, repeated headers joined with ',') for `signed_headers` (lowercase, ';'-separated).
std::string canonical_headers(const header_list& headers, std::string_view signed_headers);

}  // namespace cogsync::api::auth
