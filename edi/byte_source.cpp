#include "edi/byte_source.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace edi {

Result<std::unique_ptr<FileSource>> FileSource::Open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return FileError("cannot open " + path + ": " + std::strerror(errno));
  }
  std::optional<uint64_t> size;
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    const auto n = std::filesystem::file_size(path, ec);
    if (!ec) size = n;
  }
  return std::unique_ptr<FileSource>(new FileSource(f, path, size));
}

FileSource::~FileSource() { std::fclose(file_); }

Result<size_t> FileSource::Read(char* dst, size_t n) {
  size_t got = std::fread(dst, 1, n, file_);
  if (got < n && std::ferror(file_)) {
    return FileError("cannot read " + path_ + ": " + std::strerror(errno));
  }
  return got;
}

Result<size_t> MemorySource::Read(char* dst, size_t n) {
  size_t k = std::min(n, data_.size() - pos_);
  std::memcpy(dst, data_.data() + pos_, k);
  pos_ += k;
  return k;
}

}  // namespace edi
