#include "api/migrate/source_api.hpp"

#include "api/auth/canonical.hpp"
#include "api/identity/pool_shapes.hpp"
#include "api/identity/roles_shapes.hpp"
#include "api/json_codec.hpp"
#include "api/ops/pool_config_shapes.hpp"

namespace cogsync::api::migrate {
namespace {

rapidjson::Document parse_answer(const std::string& body) {
    rapidjson::Document doc;
    if (parse_bounded(body, doc).IsError() || !doc.IsObject())
        throw source_error(200, "MalformedAnswer", "the source answered something that is not a JSON object");
    return doc;
}

// `{"__type": "[namespace#]Type", "message"}`, as both services write their errors.
[[noreturn]] void throw_error(const source_reply& r) {
    rapidjson::Document doc;
    std::string type = "HTTP" + std::to_string(r.status), message = r.body.substr(0, 200);
    if (!parse_bounded(r.body, doc).IsError() && doc.IsObject()) {
        if (auto t = get_string(doc, "__type")) type = t->substr(t->find('#') == std::string::npos ? 0 : t->find('#') + 1);
        if (auto m = get_string(doc, "message")) message = *m;
        else if (auto m2 = get_string(doc, "Message")) message = *m2;
    }
    throw source_error(r.status, type, message);
}

const rapidjson::Value& array_of(const rapidjson::Value& doc, const char* name) {
    static const rapidjson::Value empty(rapidjson::kArrayType);
    const auto* v = find_member(doc, name);
    return v && v->IsArray() ? *v : empty;
}

std::string text_or_empty(const rapidjson::Value& o, const char* name) { return get_string(o, name).value_or(""); }

// The page's NextToken; the token that asked for the page again would page for ever.
std::string next_token(const rapidjson::Value& page, const std::string& asked_with) {
    auto next = text_or_empty(page, "NextToken");
    if (!next.empty() && next == asked_with)
        throw source_error(200, "MalformedAnswer", "the source answered the NextToken it was asked with");
    return next;
}

std::string json_body(const std::function<void(json_writer&)>& members) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    members(w);
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

std::string identity_path(const std::string& pool, const std::string& identity) {
    return "/identitypools/" + auth::uri_encode(pool, false) + "/identities/" + auth::uri_encode(identity, false);
}

storage::record record_of(const rapidjson::Value& r) {
    storage::record out;
    out.key = text_or_empty(r, "Key");
    out.value = get_string(r, "Value");
    out.sync_count = get_long(r, "SyncCount").value_or(0);
    out.last_modified_ms = get_timestamp_ms(r, "LastModifiedDate").value_or(0);
    out.last_modified_by = text_or_empty(r, "LastModifiedBy");
    out.device_last_modified_ms = get_timestamp_ms(r, "DeviceLastModifiedDate").value_or(0);
    return out;
}

}  // namespace

std::string source_api::call_identity(const std::string& operation, const std::string& body) {
    ++requests_;
    auto r = send_({"cognito-identity", "POST", "/", operation, body});
    if (r.status / 100 != 2) throw_error(r);
    return r.body;
}

std::string source_api::call_sync(const std::string& target) {
    ++requests_;
    auto r = send_({"cognito-sync", "GET", target, "", ""});
    if (r.status / 100 != 2) throw_error(r);
    return r.body;
}

storage::identity_pool source_api::describe_pool(const std::string& pool) {
    auto doc = parse_answer(
        call_identity("DescribeIdentityPool", json_body([&](json_writer& w) { write_string_member(w, "IdentityPoolId", pool); })));
    auto p = identity::pool_from_input(doc);
    p.id = pool;
    // Roles and RoleMappings come back checked as SetIdentityPoolRoles checks them; none set: "".
    auto roles = parse_answer(
        call_identity("GetIdentityPoolRoles", json_body([&](json_writer& w) { write_string_member(w, "IdentityPoolId", pool); })));
    const auto* set = find_member(roles, "Roles");
    if ((set && set->IsObject() && set->MemberCount() > 0) || find_member(roles, "RoleMappings"))
        p.roles = identity::roles_from_input(roles);
    return p;
}

std::optional<storage::pool_config> source_api::pool_config(const std::string& pool) {
    const auto path = "/identitypools/" + auth::uri_encode(pool, false);
    auto config = parse_answer(call_sync(path + "/configuration"));
    auto events = parse_answer(call_sync(path + "/events"));
    storage::pool_config c;
    c.pool = pool;
    if (const auto* p = find_member(config, "PushSync")) c.push_sync = ops::read_push_sync(*p);
    if (const auto* s = find_member(config, "CognitoStreams")) c.cognito_streams = ops::read_cognito_streams(*s);
    if (const auto* e = find_member(events, "Events"); e && e->IsObject())
        for (const auto& m : e->GetObject())
            if (m.value.IsString() && m.value.GetStringLength() > 0)
                c.events.emplace(std::string(m.name.GetString(), m.name.GetStringLength()),
                                 std::string(m.value.GetString(), m.value.GetStringLength()));
    if (!c.push_sync && !c.cognito_streams && c.events.empty()) return std::nullopt;
    return c;
}

identities_page source_api::list_identities(const std::string& pool, const std::string& token) {
    auto doc = parse_answer(call_identity("ListIdentities", json_body([&](json_writer& w) {
        write_string_member(w, "IdentityPoolId", pool);
        w.Key("MaxResults");
        w.Int(60);
        if (!token.empty()) write_string_member(w, "NextToken", token);
    })));
    identities_page page;
    for (const auto& i : array_of(doc, "Identities").GetArray()) {
        listed_identity l;
        l.identity = {pool, text_or_empty(i, "IdentityId"), get_timestamp_ms(i, "CreationDate").value_or(0),
                      get_timestamp_ms(i, "LastModifiedDate").value_or(0)};
        for (const auto& p : array_of(i, "Logins").GetArray())
            if (p.IsString()) l.providers.emplace_back(p.GetString(), p.GetStringLength());
        page.identities.push_back(std::move(l));
    }
    page.next_token = next_token(doc, token);
    return page;
}

std::vector<std::string> source_api::developer_users(const std::string& pool, const std::string& identity) {
    std::vector<std::string> users;
    std::string next;
    do {
        auto doc = parse_answer(call_identity("LookupDeveloperIdentity", json_body([&](json_writer& w) {
            write_string_member(w, "IdentityPoolId", pool);
            write_string_member(w, "IdentityId", identity);
            w.Key("MaxResults");
            w.Int(60);
            if (!next.empty()) write_string_member(w, "NextToken", next);
        })));
        for (const auto& u : array_of(doc, "DeveloperUserIdentifierList").GetArray())
            if (u.IsString()) users.emplace_back(u.GetString(), u.GetStringLength());
        next = next_token(doc, next);
    } while (!next.empty());
    return users;
}

std::vector<storage::dataset> source_api::list_datasets(const std::string& pool, const std::string& identity) {
    std::vector<storage::dataset> out;
    std::string next;
    do {
        auto target = identity_path(pool, identity) + "/datasets?maxResults=64";
        if (!next.empty()) target += "&nextToken=" + auth::uri_encode(next, false);
        auto doc = parse_answer(call_sync(target));
        for (const auto& d : array_of(doc, "Datasets").GetArray()) {
            storage::dataset ds;
            ds.id = {pool, identity, text_or_empty(d, "DatasetName")};
            ds.state = storage::dataset_state::live;
            ds.creation_ms = get_timestamp_ms(d, "CreationDate").value_or(0);
            ds.last_modified_ms = get_timestamp_ms(d, "LastModifiedDate").value_or(0);
            ds.last_modified_by = text_or_empty(d, "LastModifiedBy");
            out.push_back(std::move(ds));
        }
        next = next_token(doc, next);
    } while (!next.empty());
    return out;
}

// Every page comes from the snapshot of the first (PROTOCOL.md: NextToken pins the window), so
// the records and DatasetSyncCount agree.
records_listing source_api::list_records(const storage::dataset_id& id, int64_t last_sync_count) {
    records_listing out;
    std::string next;
    bool first = true;
    do {
        auto target = identity_path(id.pool, id.identity) + "/datasets/" + auth::uri_encode(id.name, false) +
                      "/records?lastSyncCount=" + std::to_string(last_sync_count) + "&maxResults=1024";
        if (!next.empty()) target += "&nextToken=" + auth::uri_encode(next, false);
        auto doc = parse_answer(call_sync(target));
        for (const auto& r : array_of(doc, "Records").GetArray()) out.records.push_back(record_of(r));
        if (first) {
            out.dataset_sync_count = get_long(doc, "DatasetSyncCount").value_or(0);
            const auto* exists = find_member(doc, "DatasetExists");
            out.exists = exists && exists->IsBool() && exists->GetBool();
            const auto* after = find_member(doc, "DatasetDeletedAfterRequestedSyncCount");
            out.deleted_after = after && after->IsBool() && after->GetBool();
            for (const auto& m : array_of(doc, "MergedDatasetNames").GetArray())
                if (m.IsString()) out.merged_names.emplace_back(m.GetString(), m.GetStringLength());
            first = false;
        }
        next = next_token(doc, next);
    } while (!next.empty());
    return out;
}

}  // namespace cogsync::api::migrate
