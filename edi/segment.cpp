#include "edi/segment.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

void Segment::Assign(std::string_view raw, uint64_t offset, const Delimiters* delimiters, bool padded) {
  size_t n = 0;  // tags are 2-3 bytes: a plain loop beats memchr
#if defined(__SSE2__)
  if (padded) {
    // The reader's segments (all padded): one 16-byte compare finds the tag's end, which is
    // nearly always within the first block; bytes past the segment's end are not taken.
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(raw.data())), _mm_set1_epi8(delimiters->element))));
    if (mask != 0) {
      Assign(raw, std::min<size_t>(static_cast<size_t>(__builtin_ctz(mask)), raw.size()), offset, delimiters, padded);
      return;
    }
    n = std::min<size_t>(16, raw.size());
  }
#endif
  while (n < raw.size() && raw[n] != delimiters->element) ++n;
  Assign(raw, n, offset, delimiters, padded);
}

void Segment::Split() const {
  split_ = true;
  fields_.clear();
  const std::string_view raw = raw_;
  const char sep = delimiters_->element;
  const char* p = raw.data();
  const char* const end = p + raw.size();
  const char* start = p;  // of the current field
  // Segments are a few dozen bytes: one scan that records every separator beats a memchr call
  // per element. Only whole 16-byte blocks inside `raw` are loaded; the tail goes byte-wise.
#if defined(__SSE2__)
  const __m128i vsep = _mm_set1_epi8(sep);
  if (padded_) {  // blocks may run past the end: the bits beyond it are dropped
    for (; p < end; p += 16) {
      auto mask = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), vsep)));
      if (end - p < 16) mask &= (1u << (end - p)) - 1;
      while (mask != 0) {
        const char* q = p + __builtin_ctz(mask);
        fields_.emplace_back(start, static_cast<size_t>(q - start));
        start = q + 1;
        mask &= mask - 1;
      }
    }
    fields_.emplace_back(start, static_cast<size_t>(end - start));
    return;
  }
  for (; end - p >= 16; p += 16) {
    auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), vsep)));
    while (mask != 0) {
      const char* q = p + __builtin_ctz(mask);
      fields_.emplace_back(start, static_cast<size_t>(q - start));
      start = q + 1;
      mask &= mask - 1;
    }
  }
#endif
  for (; p < end; ++p) {
    if (*p == sep) {
      fields_.emplace_back(start, static_cast<size_t>(p - start));
      start = p + 1;
    }
  }
  fields_.emplace_back(start, static_cast<size_t>(end - start));
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
