#include "gateway/transport/secret.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <openssl/crypto.h>

namespace gateway::transport {

Secret::~Secret() { Wipe(); }

Secret::Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.Wipe(); }

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    Wipe();
    value_ = std::move(other.value_);
    other.Wipe();
  }
  return *this;
}

void Secret::Wipe() {
  // The whole buffer, not just size(): a moved-from short string keeps its old characters.
  OPENSSL_cleanse(value_.data(), value_.capacity());
  value_.clear();
}

Result<Secret> LoadSecret(const SecretRef& ref, const std::string& what) {
  if (!ref.env.empty()) {
    const char* v = std::getenv(ref.env.c_str());
    if (v == nullptr) {
      return Status(Code::kAuthFailed, what + ": environment variable " + ref.env + " is not set");
    }
    return Secret(v);
  }
  if (ref.file.empty()) return Secret();
  const int fd = ::open(ref.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status(Code::kAuthFailed,
                  what + ": cannot read file " + ref.file + ": " + std::strerror(errno));
  }
  std::string value;
  char buf[512];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      OPENSSL_cleanse(value.data(), value.size());
      return Status(Code::kAuthFailed,
                    what + ": cannot read file " + ref.file + ": " + std::strerror(err));
    }
    if (n == 0) break;
    value.append(buf, static_cast<std::size_t>(n));
    OPENSSL_cleanse(buf, sizeof buf);
    if (value.size() > 64 * 1024) {
      ::close(fd);
      OPENSSL_cleanse(value.data(), value.size());
      return Status(Code::kAuthFailed, what + ": file " + ref.file + " is too large for a secret");
    }
  }
  ::close(fd);
  if (!value.empty() && value.back() == '\n') value.pop_back();
  if (!value.empty() && value.back() == '\r') value.pop_back();
  Secret s(value);
  OPENSSL_cleanse(value.data(), value.capacity());
  return s;
}

}  // namespace gateway::transport
