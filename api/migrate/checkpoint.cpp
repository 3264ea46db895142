#include "api/migrate/checkpoint.hpp"

#include <stdexcept>

#include "api/json_codec.hpp"

namespace cogsync::api::migrate {
namespace {

constexpr const char* format = "cogsync-migrate-checkpoint";

[[noreturn]] void bad(const std::string& why) { throw std::invalid_argument("not a migrate checkpoint: " + why); }

const rapidjson::Value& object_member(const rapidjson::Value& o, const char* name) {
    const auto* v = find_member(o, name);
    if (!v || !v->IsObject()) bad(std::string("'") + name + "' must be an object");
    return *v;
}

std::string name_of(const rapidjson::Value::ConstMemberIterator& m) {
    return {m->name.GetString(), m->name.GetStringLength()};
}

}  // namespace

bool checkpoint::begin_run() {
    if (run > 0 && !complete) return true;
    ++run;
    complete = false;
    return false;
}

std::string to_json(const checkpoint& c) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_string_member(w, "format", format);
    write_string_member(w, "source", c.source);
    w.Key("run");
    w.Int64(c.run);
    w.Key("complete");
    w.Bool(c.complete);
    w.Key("pools");
    w.StartObject();
    for (const auto& [pool, identities] : c.pools) {
        w.Key(pool.c_str(), static_cast<rapidjson::SizeType>(pool.size()));
        w.StartObject();
        for (const auto& [id, p] : identities) {
            w.Key(id.c_str(), static_cast<rapidjson::SizeType>(id.size()));
            w.StartObject();
            w.Key("run");
            w.Int64(p.run);
            w.Key("datasets");
            w.StartObject();
            for (const auto& [name, count] : p.datasets) {
                w.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
                w.Int64(count);
            }
            w.EndObject();
            w.EndObject();
        }
        w.EndObject();
    }
    w.EndObject();
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

checkpoint checkpoint_from_json(std::string_view text) {
    rapidjson::Document doc;
    if (parse_bounded(text, doc).IsError() || !doc.IsObject()) bad("malformed JSON");
    if (get_string(doc, "format") != format) bad(std::string("\"format\" must be \"") + format + "\"");
    checkpoint c;
    c.source = get_string(doc, "source").value_or("");
    c.run = get_long(doc, "run").value_or(0);
    const auto* complete = find_member(doc, "complete");
    c.complete = complete && complete->IsBool() && complete->GetBool();
    const auto& pools = object_member(doc, "pools");
    for (auto p = pools.MemberBegin(); p != pools.MemberEnd(); ++p) {
        if (!p->value.IsObject()) bad("a pool must be an object");
        auto& identities = c.pools[name_of(p)];
        for (auto i = p->value.MemberBegin(); i != p->value.MemberEnd(); ++i) {
            if (!i->value.IsObject()) bad("an identity must be an object");
            auto& progress = identities[name_of(i)];
            progress.run = get_long(i->value, "run").value_or(0);
            const auto& datasets = object_member(i->value, "datasets");
            for (auto d = datasets.MemberBegin(); d != datasets.MemberEnd(); ++d) {
                if (!d->value.IsInt64()) bad("a dataset's sync count must be an integer");
                progress.datasets[name_of(d)] = d->value.GetInt64();
            }
        }
    }
    return c;
}

}  // namespace cogsync::api::migrate
