// Errors as values for the spool: a Status (code + message with context) and a Result<T>.
// Nothing in spool/ throws; SQLite and errno codes become a Status where they are first seen.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace spool {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // the caller passed something malformed
  kNotFound,           // no such item
  kIllegalTransition,  // the state machine forbids this change
  kRejected,           // refused by policy (duplicate, replay needing --force, ...)
  kLeaseLost,          // the caller's lease expired or was taken over
  kBusy,               // the database stayed locked past the busy timeout; retry
  kNoSpace,            // disk or database full; retry after freeing space
  kIoError,            // read, write or fsync failed
  kCorruption,         // the database or a blob is damaged
  kSchema,             // the database was made by a newer edigate
  kInternal,
};

const char* CodeName(Code code);

// A success or an error with a message that says what failed and where
// ("fsync /var/spool/x.blobs/ab/...: Input/output error"). OK is cheap.
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

  // Returns a copy with "<context>: " in front of the message (no-op when ok).
  Status WithContext(const std::string& context) const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains its absence. Holding an OK status without a value is a
// programming error (aborts).
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

}  // namespace spool

#define SPOOL_CONCAT_INNER(a, b) a##b
#define SPOOL_CONCAT(a, b) SPOOL_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` (a Status) is not OK.
#define SPOOL_RETURN_IF_ERROR(expr)                   \
  do {                                                \
    ::spool::Status spool_status_ = (expr);           \
    if (!spool_status_.ok()) return spool_status_;    \
  } while (0)

// `SPOOL_ASSIGN_OR_RETURN(auto x, ResultExpr())`: binds the value or returns the Status.
#define SPOOL_ASSIGN_OR_RETURN(decl, expr) \
  SPOOL_ASSIGN_OR_RETURN_IMPL(SPOOL_CONCAT(spool_result_, __LINE__), decl, expr)
#define SPOOL_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  decl = std::move(tmp).value()
