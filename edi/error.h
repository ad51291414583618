// Errors of the edi library. Every problem found in X12 input is an Error value that names
// where it is (byte offset, segment position, element) and the standard code a partner will
// see in the acknowledgment: the TA1 note code (TA105), AK905, AK502, AK304 or AK403.
// The library never throws; functions that can fail return Result<T>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace edi {

// Which envelope level an error belongs to; it decides which acknowledgment carries it.
enum class Layer : uint8_t {
  kFile,         // not X12, unreadable, I/O
  kInterchange,  // ISA/IEA: reported in a TA1
  kGroup,        // GS/GE: AK905
  kSet,          // ST/SE: AK502
  kSegment,      // AK3 (AK304)
  kElement,      // AK3 + AK4 (AK304 = 8, AK403)
};

struct Error {
  Layer layer = Layer::kFile;
  std::string ta1_code;      // TA105 note code, interchange layer
  std::string group_code;    // AK905, group layer
  std::string set_code;      // AK502, set layer (and element/segment errors: "5")
  std::string segment_code;  // AK304
  std::string element_code;  // AK403
  uint64_t offset = 0;            // byte offset of the segment in the file
  uint32_t segment_position = 0;  // position in the transaction set, ST = 1; 0 outside a set
  std::string segment;            // segment tag, "" when unknown
  std::string loop;               // loop identifier (AK303), "" when not in a loop
  int element = 0;                // 1-based element position, 0 when the whole segment
  int component = 0;              // 1-based component position, 0 when not a component
  std::string element_ref;        // data element reference number (AK402)
  std::string bad_value;          // copy of the bad data element (AK404), at most 99 bytes
  std::string message;            // what a person needs to fix it
  bool warning = false;           // noted (AK5 E / TA1 E) but does not reject

  // "offset 120, segment 7 (N9), element 1: message" - for logs and human output.
  std::string Describe() const;
};

// Result<T>: a T or an Error. [[nodiscard]] so an ignored failure is a compile warning.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Status: success or an Error, for operations without a value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT
  static Status Ok() { return Status(); }
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

// Convenience constructor for file-level errors (I/O, not X12).
Error FileError(std::string message, uint64_t offset = 0);

// Input bytes as they can be shown in a message: \n, \r and other non-printable bytes
// escaped, at most `max` input bytes.
std::string Printable(std::string_view bytes, size_t max = 64);

}  // namespace edi
