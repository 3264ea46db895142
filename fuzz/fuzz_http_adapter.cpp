// The whole request path on arbitrary bytes off the wire: Beast's parser with the server's limits
// (server/http_session.cpp), the adapter (server/beast_adapter.hpp), then api::handle_request
// (router, percent-decoding, query, JSON codec, operations) against a real record store in a temp
// directory shared by all inputs, and back through to_beast_response and the serializer.
// Pipelined requests in one input are handled in turn, as on a keep-alive connection. Errors are
// expected values (AWS-shaped responses); any exception escaping handle_request is a finding.
// A session token can be spent once and the fuzzer cannot forge one, so "@SESSION@" in a body is
// replaced by a fresh SyncSessionToken for the dataset in the path: UpdateRecords then gets past
// the token check into the sync rules and the store.
#include <stdlib.h>

#include <boost/beast/http.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include "api/api_error.hpp"
#include "api/context.hpp"
#include "api/handle_request.hpp"
#include "api/run_to_answer.hpp"
#include "api/ops/tokens.hpp"
#include "api/router.hpp"
#include "server/beast_adapter.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using namespace cogsync;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::uint64_t max_body_bytes = 8 << 20;   // config defaults (config/settings.hpp)
constexpr std::uint32_t max_header_bytes = 16 << 10;
constexpr int max_requests_per_input = 4;

// A store in $TMPDIR shared by every input (opening one per input would drown the signal in
// SQLite setup); durability normal because nothing here needs to survive a power cut.
class fixture {
public:
    fixture() : dir_(make_dir()), store_(options(dir_)), ctx_{store_, api::token_codec(std::string(32, 'k')), {}, 300000, clock} {}
    ~fixture() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    api::context& ctx() { return ctx_; }

private:
    static std::filesystem::path make_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "cogsync-fuzz-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) abort();
        return tmpl;
    }
    static storage::store_options options(const std::filesystem::path& dir) {
        storage::store_options o;
        o.path = (dir / "cogsync.db").string();
        o.sync = storage::durability::normal;
        return o;
    }
    // A fixed clock keeps issued session tokens valid and runs reproducible.
    static int64_t clock() { return 1'700'000'000'000; }

    std::filesystem::path dir_;
    storage::sqlite_store store_;
    api::context ctx_;
};

fixture& the_fixture() {
    static fixture f;
    return f;
}

void substitute_session(api::request& req) {
    static constexpr std::string_view marker = "@SESSION@";
    auto at = req.body.find(marker);
    if (at == std::string::npos) return;
    storage::dataset_id id;
    try {
        auto m = api::match_route(req.method, req.path);
        if (m.params.size() < 3 || m.params[2].first != "DatasetName") return;
        id = {m.params[0].second, m.params[1].second, m.params[2].second};
    } catch (const api::api_error&) {
        return;
    }
    auto token = api::ops::issue_session_token(the_fixture().ctx(), id);
    for (; at != std::string::npos; at = req.body.find(marker, at + token.size())) req.body.replace(at, marker.size(), token);
}

void write_out(api::response&& resp, unsigned version, bool keep_alive) {
    auto out = server::to_beast_response(std::move(resp), version, keep_alive);
    std::ostringstream wire;
    wire << out;
}

// Parses one request from the front of `in`; returns the bytes it consumed (0: stop).
std::size_t one_request(std::string_view in) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(max_body_bytes);
    parser.header_limit(max_header_bytes);
    parser.eager(true);
    beast::error_code ec;
    std::size_t used = 0;
    while (!parser.is_done() && used < in.size()) {
        auto n = parser.put(boost::asio::buffer(in.data() + used, in.size() - used), ec);
        used += n;
        if (ec || n == 0) break;
    }
    if (ec == http::error::need_more || (!ec && !parser.is_done())) return 0;  // the client is still sending
    api::request req;
    req.request_id = "fuzz";
    if (ec) {
        // http_session::reject: the same AWS-shaped error for every malformed request.
        write_out(api::reject_request(req, api::api_error(api::error_code::serialization, ec.message())), 11, false);
        return 0;
    }
    unsigned version = parser.get().version();
    bool keep_alive = parser.get().keep_alive();
    req = server::to_api_request(parser.release(), std::move(req.request_id));
    substitute_session(req);
    write_out(api::run_to_answer(req, the_fixture().ctx()), version, keep_alive);
    return keep_alive ? used : 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    for (int i = 0; i < max_requests_per_input && !in.empty(); ++i) {
        auto used = one_request(in);
        if (used == 0) break;
        in.remove_prefix(used);
    }
    return 0;
}
