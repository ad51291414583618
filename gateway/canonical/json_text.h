// Writing JSON text directly into a string: the mapper emits canonical events without
// building a DOM (one pass, no per-field allocation). Strings are escaped per RFC 8259; bytes
// that are not valid UTF-8 (EDI files are often Latin-1 or carry 0x85) are taken as Latin-1
// and re-encoded, so the output is always valid UTF-8.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

namespace gateway::canonical {

// Appends `s` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view s);

// Writes into a std::string that is grown in large steps ahead of the text (its size is the
// capacity; the text is the first size() bytes), so that appending a byte or a short string
// is a bounds check and a copy. The string gets its exact length back when the buffer is
// destroyed (or at Finish). One writer per string at a time.
class JsonBuffer {
 public:
  explicit JsonBuffer(std::string& s) : s_(s), len_(s.size()) {}
  // Writes from `start` (default: the start of `s`) and leaves its size alone (the text is
  // view()): a string reused as scratch, or one that keeps text of several writers (each
  // resuming where the last stopped), is then not zero-filled again on every use.
  struct Scratch {};
  JsonBuffer(std::string& s, Scratch, size_t start = 0) : s_(s), len_(start), finish_(false) {
    if (s_.size() < start) s_.resize(start);
  }
  ~JsonBuffer() {
    if (finish_) Finish();
  }
  std::string_view view() const { return std::string_view(s_.data(), len_); }
  JsonBuffer(const JsonBuffer&) = delete;
  JsonBuffer& operator=(const JsonBuffer&) = delete;

  size_t size() const { return len_; }
  // Drops the text after `n` (n <= size()).
  void resize(size_t n) { len_ = n; }
  void Finish() { s_.resize(len_); }

  // Room for `n` more bytes; write them at the pointer, then Commit how many were written.
  [[gnu::always_inline]] char* Reserve(size_t n) {
    if (s_.size() - len_ < n) Grow(n);
    return s_.data() + len_;
  }
  void Commit(size_t n) { len_ += n; }

  [[gnu::always_inline]] void push_back(char c) {
    *Reserve(1) = c;
    ++len_;
  }
  [[gnu::always_inline]] void append(std::string_view v) {
    std::memcpy(Reserve(v.size()), v.data(), v.size());
    len_ += v.size();
  }
  JsonBuffer& operator+=(std::string_view v) {
    append(v);
    return *this;
  }
  JsonBuffer& operator+=(char c) {
    push_back(c);
    return *this;
  }

 private:
  // Doubles while small, then grows by a quarter: the bytes resize() zero-fills are resident,
  // and a mapper's buffer holds a whole interchange's events (tens of MB), so doubling there
  // would make up to twice that resident for nothing.
  [[gnu::noinline]] void Grow(size_t n) {
    constexpr size_t kDoubleBelow = size_t{8} << 20;
    const size_t step = s_.size() < kDoubleBelow ? s_.size() : s_.size() / 4;
    s_.resize(std::max(s_.size() + step, len_ + n + 4096));
  }
  std::string& s_;
  size_t len_;
  bool finish_ = true;
};

// Appends `s` as a quoted JSON string (the same text as the std::string form).
void AppendJsonString(JsonBuffer& out, std::string_view s);

}  // namespace gateway::canonical
