#include "api/identity/identity_description.hpp"

namespace cogsync::api::identity {

void write_identity_description(json_writer& w, const storage::identity& i,
                                const std::vector<storage::identity_login>& logins) {
    w.StartObject();
    write_string_member(w, "IdentityId", i.id);
    w.Key("Logins");
    w.StartArray();
    std::string previous;
    for (const auto& l : logins)
        if (l.provider != previous) {
            write_string(w, l.provider);
            previous = l.provider;
        }
    w.EndArray();
    w.Key("CreationDate");
    write_timestamp(w, i.created_ms);
    w.Key("LastModifiedDate");
    write_timestamp(w, i.last_modified_ms);
    w.EndObject();
}

}  // namespace cogsync::api::identity
