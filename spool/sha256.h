// Streaming SHA-256 (OpenSSL EVP): feed chunks, get the lowercase hex digest.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace spool {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Lowercase hex of the digest; the hasher must not be updated afterwards.
  std::string HexDigest();

  static std::string Of(std::string_view data);

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

}  // namespace spool
