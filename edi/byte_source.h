// Where the reader gets bytes from. Files are read in binary mode in chunks, never through a
// locale-dependent text stream and never whole, so memory does not grow with file size.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "edi/error.h"

namespace edi {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes into dst; 0 means end of input.
  virtual Result<size_t> Read(char* dst, size_t n) = 0;
};

class FileSource final : public ByteSource {
 public:
  // Opens `path` for reading; the error names the path and the reason.
  static Result<std::unique_ptr<FileSource>> Open(const std::string& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  Result<size_t> Read(char* dst, size_t n) override;

 private:
  FileSource(std::FILE* f, std::string path) : file_(f), path_(std::move(path)) {}
  std::FILE* file_;
  std::string path_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  Result<size_t> Read(char* dst, size_t n) override;

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace edi
