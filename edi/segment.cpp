#include "edi/segment.h"

#include <cstring>

namespace edi {
namespace {

std::string_view Nth(std::string_view s, char sep, size_t n) {
  if (sep == 0) return n == 1 ? s : std::string_view();
  size_t start = 0;
  for (size_t k = 1;; ++k) {
    size_t end = s.find(sep, start);
    if (k == n) return s.substr(start, end == std::string_view::npos ? s.npos : end - start);
    if (end == std::string_view::npos) return {};
    start = end + 1;
  }
}

}  // namespace

void Segment::Assign(std::string_view raw, uint64_t offset, const Delimiters* delimiters) {
  raw_ = raw;
  offset_ = offset;
  delimiters_ = delimiters;
  fields_.clear();
  const char sep = delimiters->element;
  const char* p = raw.data();
  const char* end = p + raw.size();
  for (;;) {
    const void* hit = std::memchr(p, sep, static_cast<size_t>(end - p));
    if (hit == nullptr) {
      fields_.emplace_back(p, static_cast<size_t>(end - p));
      break;
    }
    const char* q = static_cast<const char*>(hit);
    fields_.emplace_back(p, static_cast<size_t>(q - p));
    p = q + 1;
  }
}

std::string_view Segment::component(size_t i, size_t c) const {
  return Nth(element(i), delimiters_ ? delimiters_->component : 0, c);
}

size_t Segment::component_count(size_t i) const {
  std::string_view e = element(i);
  if (e.empty()) return 0;
  const char sep = delimiters_ ? delimiters_->component : 0;
  if (sep == 0) return 1;
  size_t n = 1;
  for (char ch : e) n += ch == sep;
  return n;
}

std::string_view Segment::repetition(size_t i, size_t r) const {
  return Nth(element(i), delimiters_ ? delimiters_->repetition : 0, r);
}

std::string Segment::Serialize() const { return std::string(raw_); }

}  // namespace edi
