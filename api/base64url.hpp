#pragma once
// base64url without padding ([A-Za-z0-9_-] only): the alphabet of every token this server issues,
// so old Android marshallers that drop query values containing '=' keep them (PROTOCOL.md 1.2).
#include <optional>
#include <string>
#include <string_view>

namespace cogsync::api {

std::string base64url_encode(std::string_view bytes);
// nullopt on any character outside the alphabet, on padding, or on an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

// Standard base64 with padding ([A-Za-z0-9+/=]): where AWS sends it (Kinesis Data blobs, the
// SessionToken of minted credentials).
std::string base64_encode(std::string_view bytes);

}  // namespace cogsync::api
