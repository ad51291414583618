// Where the reader gets bytes from. Files are read in binary mode in chunks, never through a
// locale-dependent text stream and never whole, so memory does not grow with file size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "edi/error.h"

namespace edi {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes into dst; 0 means end of input.
  virtual Result<size_t> Read(char* dst, size_t n) = 0;
  // The bytes the source will give, when known up front (a hint: small inputs are not worth
  // a reading thread).
  virtual std::optional<uint64_t> SizeHint() const { return std::nullopt; }
};

class FileSource final : public ByteSource {
 public:
  // Opens `path` for reading; the error names the path and the reason.
  static Result<std::unique_ptr<FileSource>> Open(const std::string& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  Result<size_t> Read(char* dst, size_t n) override;
  std::optional<uint64_t> SizeHint() const override { return size_; }

 private:
  FileSource(std::FILE* f, std::string path, std::optional<uint64_t> size)
      : file_(f), path_(std::move(path)), size_(size) {}
  std::FILE* file_;
  std::string path_;
  std::optional<uint64_t> size_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  Result<size_t> Read(char* dst, size_t n) override;
  std::optional<uint64_t> SizeHint() const override { return data_.size(); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace edi
