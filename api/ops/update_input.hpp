#pragma once
// UpdateRecords' request body (PROTOCOL.md 5.4, 6.2), read in one pass with RapidJSON's SAX
// reader: keys and values go straight into the patches, so a body costs about its own size again
// rather than the ~8x of a DOM (a full 8 MiB body of patches is the case this exists for).
//
// The errors are those the DOM getters of api/json_codec.hpp give, in the order UpdateRecords has
// always checked them, whatever order the members come in:
//   1. the body is not JSON (SerializationException, with RapidJSON's message and offset), even
//      when the syntax error comes after a member that is wrong;
//   2. the body is not an object;
//   3. DeviceId: its type, then its length (1..256);
//   4. SyncSessionToken: its type, then its absence;
//   5. RecordPatches is not a list;
//   6. the first bad patch in list order, and within it: not an object; the types of Op, Key,
//      SyncCount; Op absent, Op not replace/remove; Key absent, Key length (1..1024); SyncCount
//      absent, negative; Value's type, length (0..1048575); DeviceLastModifiedDate.
// Null equals absent (2.2); a member named twice counts once, the first time (as FindMember does);
// unknown members are skipped whatever they hold. Lengths count code points (api/validate.hpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/sync_rules.hpp"

namespace cogsync::api::ops {

struct update_input {
    std::vector<record_patch> patches;
    std::string token;
    std::optional<std::string> device_id;
};

// Throws api_error: SerializationException or InvalidParameterException, as listed above. An
// empty or all-whitespace body reads as {} (so it lacks its SyncSessionToken).
update_input read_update_input(std::string_view body);

}  // namespace cogsync::api::ops
