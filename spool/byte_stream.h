// Byte streams in and out of the spool, so file bodies (up to gigabytes) move in chunks and are
// never held whole in memory.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "spool/file_system.h"
#include "spool/status.h"

namespace spool {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to buf.size() bytes; 0 means end of stream.
  virtual Result<std::size_t> Read(std::span<char> buf) = 0;
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status Write(std::string_view data) = 0;
};

// Reads from memory (small files, tests).
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string_view data) : data_(data) {}
  Result<std::size_t> Read(std::span<char> buf) override;

 private:
  std::string_view data_;
};

// Collects into a string (small files, tests).
class StringSink final : public ByteSink {
 public:
  Status Write(std::string_view data) override {
    out.append(data);
    return Status::Ok();
  }
  std::string out;
};

// Reads a file through a FileSystem.
class FileSource final : public ByteSource {
 public:
  explicit FileSource(std::unique_ptr<ReadableFile> file) : file_(std::move(file)) {}
  Result<std::size_t> Read(std::span<char> buf) override { return file_->Read(buf); }

 private:
  std::unique_ptr<ReadableFile> file_;
};

}  // namespace spool
