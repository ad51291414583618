#include "spool/byte_stream.h"

#include <algorithm>
#include <cstring>

namespace spool {

Result<std::size_t> StringSource::Read(std::span<char> buf) {
  const std::size_t n = std::min(buf.size(), data_.size());
  std::memcpy(buf.data(), data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

}  // namespace spool
