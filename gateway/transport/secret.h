// Loading secrets (key passphrases, passwords) from an environment variable or a file, right
// before use. The value lives only in a Secret, which wipes its memory when it goes away; error
// messages name the variable or file, never the content.
#pragma once

#include <string>

#include "gateway/status.h"
#include "gateway/transport/sftp_settings.h"

namespace gateway::transport {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  ~Secret();
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  const char* c_str() const { return value_.c_str(); }
  std::size_t size() const { return value_.size(); }
  bool empty() const { return value_.empty(); }

 private:
  void Wipe();
  std::string value_;
};

// Reads the secret `ref` points at. `what` names it in errors ("key passphrase").
// kAuthFailed when the variable is unset or the file cannot be read; an empty Secret when `ref`
// is not configured at all.
Result<Secret> LoadSecret(const SecretRef& ref, const std::string& what);

}  // namespace gateway::transport
