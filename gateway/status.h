// Errors as values for gateway/: a Status (code + message with context) and a Result<T>.
// Nothing in gateway/ below the command layer throws; errno, libssh2 and SFTP codes become a
// Status where they are first seen, with the operation, host and path in the message
// ("sftp write edi@3pl.example:22 /out/x.edi: permission denied"). Secrets never go in a message.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace gateway {

enum class Code {
  kOk = 0,
  kInvalidArgument,   // the caller passed something malformed (bad path, bad settings)
  kNotFound,          // no such file or directory
  kAlreadyExists,     // the target exists and will not be overwritten
  kPermissionDenied,  // the peer or the file system refused access
  kUnavailable,       // not connected, connection refused or lost; reconnect and retry
  kTimeout,           // no progress within the timeout; the connection was dropped
  kHostKeyRejected,   // the server's host key is unknown or does not match: never retried blindly
  kAuthFailed,        // authentication refused, or no secret available to authenticate
  kDataLoss,          // bytes went missing (size after upload differs from bytes sent)
  kIoError,           // other read/write/fsync failures
  kInternal,
};

const char* CodeName(Code code);

// A success or an error with a message that says what failed and where. OK is cheap.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "<code name>: <message>", or "ok".
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains its absence. A Result built from an OK Status holds an
// internal error instead (a programming mistake that must not pass as success).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status(Code::kInternal, "Result built from an OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace gateway

#define GATEWAY_CONCAT_INNER(a, b) a##b
#define GATEWAY_CONCAT(a, b) GATEWAY_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` (a Status) is not OK.
#define GATEWAY_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::gateway::Status gateway_status_ = (expr);        \
    if (!gateway_status_.ok()) return gateway_status_; \
  } while (0)

// `GATEWAY_ASSIGN_OR_RETURN(auto x, ResultExpr())`: binds the value or returns the Status.
#define GATEWAY_ASSIGN_OR_RETURN(decl, expr) \
  GATEWAY_ASSIGN_OR_RETURN_IMPL(GATEWAY_CONCAT(gateway_result_, __LINE__), decl, expr)
#define GATEWAY_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  decl = std::move(tmp).value()
