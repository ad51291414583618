// Errors as values, shared by spool/ and gateway/: a Status (a code from the library's own
// enum + a message with context) and a Result<T>. Each library instantiates these with its
// codes (spool::Code, gateway::Code) and provides `const char* CodeName(Code)` in its own
// namespace. edi/ keeps its own Error, which carries X12 positions and codes.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace base {

// A success or an error with a message that says what failed and where. OK is cheap.
template <typename Code>
class [[nodiscard]] BasicStatus {
 public:
  BasicStatus() = default;
  BasicStatus(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static BasicStatus Ok() { return BasicStatus(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "<code name>: <message>", or "ok".
  std::string ToString() const {
    if (ok()) return "ok";
    return std::string(CodeName(code_)) + ": " + message_;
  }
  // A copy with "<context>: " in front of the message (no-op when ok).
  BasicStatus WithContext(const std::string& context) const {
    if (ok()) return *this;
    return BasicStatus(code_, context + ": " + message_);
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains its absence. A Result built from an OK Status holds an
// internal error instead (a programming mistake that must not pass as success).
template <typename T, typename Code>
class [[nodiscard]] BasicResult {
 public:
  using Status = BasicStatus<Code>;
  BasicResult(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  BasicResult(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
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

}  // namespace base

#define BASE_CONCAT_INNER(a, b) a##b
#define BASE_CONCAT(a, b) BASE_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when `expr` (a Status) is not OK.
#define BASE_RETURN_IF_ERROR(expr)                 \
  do {                                             \
    auto base_status_ = (expr);                    \
    if (!base_status_.ok()) return base_status_;   \
  } while (0)

// `BASE_ASSIGN_OR_RETURN(auto x, ResultExpr())`: binds the value or returns the status.
#define BASE_ASSIGN_OR_RETURN(decl, expr) \
  BASE_ASSIGN_OR_RETURN_IMPL(BASE_CONCAT(base_result_, __LINE__), decl, expr)
#define BASE_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  decl = std::move(tmp).value()
