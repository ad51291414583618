// Chunked byte streams between a RemoteDir and its caller, so file bodies of any size move in
// bounded chunks and are never held whole in memory.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "gateway/status.h"

namespace gateway::transport {

// Receives a download chunk by chunk. An error aborts the transfer and is returned by Read.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status Write(std::string_view chunk) = 0;
};

// Supplies an upload chunk by chunk. Fills up to buf.size() bytes; 0 means end of stream.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual Result<std::size_t> Read(std::span<char> buf) = 0;
};

// Collects into a string (small files, tests).
class StringSink final : public ByteSink {
 public:
  Status Write(std::string_view chunk) override {
    out.append(chunk);
    return Status::Ok();
  }
  std::string out;
};

// Reads from memory the caller keeps alive (small files, tests).
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string_view data) : data_(data) {}
  Result<std::size_t> Read(std::span<char> buf) override {
    const std::size_t n = std::min(buf.size(), data_.size());
    if (n > 0) std::memcpy(buf.data(), data_.data(), n);
    data_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view data_;
};

}  // namespace gateway::transport
