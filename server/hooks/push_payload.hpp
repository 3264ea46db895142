#pragma once
// The silent push of PROTOCOL.md 7.1: five data keys, every value a string (Android parses
// syncCount with Long.parseLong(extras.getString(...))).
//   GCM / ADM:           {"data":{"source":"cognito-sync","identityPoolId",..,"syncCount":"9"}}
//   APNS / APNS_SANDBOX: {"aps":{"content-available":1},"data":{...the same five...}}
#include <cstdint>
#include <string>

namespace cogsync::server {

std::string push_payload(const std::string& platform, const std::string& pool, const std::string& identity,
                         const std::string& dataset, int64_t sync_count);

// The platform of an SNS platform application ARN ("arn:aws:sns:r:a:app/GCM/MyApp" -> "GCM"),
// "" when the ARN has no app/<PLATFORM>/ segment.
std::string arn_platform(const std::string& application_arn);

}  // namespace cogsync::server
