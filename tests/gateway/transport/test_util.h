// Shared helpers for the transport tests: settings for the fixture sshd, deterministic test
// data, and a streaming SHA-256 sink.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <fstream>
#include <random>
#include <string>

#include "gateway/transport/byte_stream.h"
#include "gateway/transport/sftp_settings.h"
#include "tests/support/sshd.h"

namespace transport_test {

using gateway::transport::SftpSettings;

// Key auth (unencrypted client key), known_hosts verification, root = sshd.data_dir().
inline SftpSettings SettingsFor(const x12test::Sshd& sshd) {
  SftpSettings s;
  s.host = "127.0.0.1";
  s.port = sshd.port();
  s.user = sshd.user();
  s.auth.private_key_file = sshd.client_key();
  s.known_hosts_file = sshd.scratch_dir() + "/known_hosts";
  std::ofstream(s.known_hosts_file) << sshd.known_hosts_line() << "\n";
  s.connect_timeout = std::chrono::seconds(10);
  s.io_timeout = std::chrono::seconds(10);
  s.root_dir = sshd.data_dir();
  return s;
}

// `n` pseudo-random bytes from a fixed seed.
inline std::string TestBytes(std::size_t n, std::uint32_t seed = 42) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xFF);
  return out;
}

inline std::string Hex(const unsigned char* p, unsigned n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 0xF];
  }
  return out;
}

inline std::string Sha256(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return Hex(md, n);
}

// Hashes a download chunk by chunk, never holding it whole; also records the chunk count.
class Sha256Sink final : public gateway::transport::ByteSink {
 public:
  Sha256Sink() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256Sink() override { EVP_MD_CTX_free(ctx_); }
  Sha256Sink(const Sha256Sink&) = delete;
  Sha256Sink& operator=(const Sha256Sink&) = delete;
  gateway::Status Write(std::string_view chunk) override {
    EVP_DigestUpdate(ctx_, chunk.data(), chunk.size());
    bytes += chunk.size();
    ++chunks;
    return gateway::Status::Ok();
  }
  std::string Hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_DigestFinal_ex(ctx_, md, &n);
    return transport_test::Hex(md, n);
  }
  std::uint64_t bytes = 0;
  std::size_t chunks = 0;

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace transport_test
