#pragma once
#include <rapidjson/document.h>

#include <string>

namespace cogsync::api::identity {

// The string member `name` of a JSON object; empty when absent or not a string.
inline std::string json_text(const rapidjson::Value& object, const char* name) {
    auto it = object.FindMember(name);
    return it != object.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                            : std::string();
}

}  // namespace cogsync::api::identity
