#include "server/token_key.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>

#include "api/token_codec.hpp"

namespace cogsync::server {
namespace {

constexpr std::size_t key_size = 32;

std::string read_key(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    std::string key(key_size, '\0');
    ssize_t n = ::read(fd, key.data(), key.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(key_size)) throw std::runtime_error(path + " is damaged: expected 32 bytes");
    return key;
}

}  // namespace

std::string load_or_create_token_key(storage::record_store& store, const std::string& data_dir) {
    auto key = store.node_secret("token_key", [&] {
        auto adopted = read_key(data_dir + "/token.key");
        return adopted.empty() ? api::token_codec::random_bytes(key_size) : adopted;
    });
    if (key.size() != key_size) throw std::runtime_error("the stored token key is damaged: expected 32 bytes");
    return key;
}

std::string load_or_create_stream_payload_key(storage::record_store& store) {
    return store.node_secret("stream_payload_key", [] { return api::token_codec::random_bytes(key_size); });
}

}  // namespace cogsync::server
