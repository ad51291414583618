#include "edi/clean_check.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "edi/element_check.h"

namespace edi {
namespace {

// Byte classes for the one-pass check.
constexpr uint8_t kSeparatorByte = 1;  // the element separator: ends the element
constexpr uint8_t kInvalidByte = 2;    // never allowed in AN/ID data (HasInvalidCharacter)
constexpr uint8_t kNonDigitByte = 4;
constexpr size_t kShortSegment = CleanCheck::kShortSegment;

template <typename Classes>
void BuildByteClasses(const Delimiters& d, Classes* out) {
  out->element = d.element;
  out->component = d.component;
  out->built = true;
  // As HasInvalidCharacter in element_check.cpp: control characters, DEL, the component
  // separator (with none, DEL stands in for it).
  const auto comp = static_cast<unsigned char>(d.component != 0 ? d.component : 0x7f);
  for (unsigned c = 0; c < 256; ++c) {
    uint8_t k = 0;
    if (c < 0x20 || c == 0x7f || c == comp) k |= kInvalidByte;
    if (c < '0' || c > '9') k |= kNonDigitByte;
    out->of[c] = k;
  }
  out->of[static_cast<unsigned char>(d.element)] |= kSeparatorByte;
}

// One non-empty element value under its rule, given the OR of its byte classes. False means
// "not proved valid": the exact check decides. Values with a sign, a decimal point, a date or
// a time go to CheckElementValue (exact by definition); composites to CheckElements.
bool ValueClean(const ElementRule& r, std::string_view v, unsigned classes,
                const Delimiters& delims) {
  switch (r.type) {
    case ElementType::kAN:
      if (classes & kInvalidByte) return false;
      break;
    case ElementType::kID:
      if (classes & kInvalidByte) return false;
      if (r.has_codes && !r.def->HasCode(v)) return false;
      break;
    case ElementType::kN:
    case ElementType::kR:
      if (classes & kNonDigitByte) return CheckElementValue(*r.def, v, delims).empty();
      break;  // digits only: the length is the value's
    case ElementType::kDT:
    case ElementType::kTM:
      return CheckElementValue(*r.def, v, delims).empty();
    case ElementType::kB:
      return true;
    case ElementType::kComposite:
      return false;
  }
  return v.size() >= r.min_length && v.size() <= r.max_length;
}

// Byte classes of a segment shorter than kShortSegment bytes as bit masks: bit k describes
// byte k (bits at and past the segment's end are 0). Reads kShortSegment bytes from `p`.
struct ShortMasks {
  uint64_t separator = 0;
  uint64_t invalid = 0;
  uint64_t non_digit = 0;
  uint64_t point = 0;  // '.'
};

template <typename Classes>
ShortMasks ClassifyShort(const char* p, unsigned n, const Classes& classes) {
  static_assert(kShortSegment == 64, "four 16-byte blocks, one bit per byte in a uint64_t");
  ShortMasks m;
#if defined(__SSE2__)
  const __m128i sep = _mm_set1_epi8(classes.element);
  const __m128i comp = _mm_set1_epi8(classes.component != 0 ? classes.component : '\x7f');
  const __m128i del = _mm_set1_epi8('\x7f');
  const __m128i below_space = _mm_set1_epi8(0x1f);
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i point = _mm_set1_epi8('.');
  for (unsigned block = 0; block < 4 && block * 16 < n; ++block) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + block * 16));
    // Unsigned compares by min: v <= 0x1f is min(v, 0x1f) == v; likewise for digits.
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v);
    const __m128i bad = _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, del), _mm_cmpeq_epi8(v, comp)));
    const __m128i d = _mm_sub_epi8(v, zero);
    const __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d);
    const unsigned shift = block * 16;
    m.separator |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, sep)))} << shift;
    m.invalid |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(bad))} << shift;
    m.non_digit |= uint64_t{static_cast<uint16_t>(~_mm_movemask_epi8(digit))} << shift;
    m.point |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, point)))} << shift;
  }
#else
  for (unsigned k = 0; k < n; ++k) {
    const unsigned c = classes.of[static_cast<unsigned char>(p[k])];
    m.separator |= uint64_t{(c & kSeparatorByte) != 0} << k;
    m.invalid |= uint64_t{(c & kInvalidByte) != 0} << k;
    m.non_digit |= uint64_t{(c & kNonDigitByte) != 0} << k;
    m.point |= uint64_t{p[k] == '.'} << k;
  }
#endif
  const uint64_t live = (uint64_t{1} << n) - 1;  // n < 64
  m.separator &= live;
  m.invalid &= live;
  m.non_digit &= live;
  m.point &= live;
  return m;
}

}  // namespace

void CleanCheck::Rebuild(const Delimiters& delims) { BuildByteClasses(delims, &classes_); }

bool CleanCheck::LongHolds(const SegmentDef& def, const Segment& seg) {
  const Delimiters& delims = seg.delimiters();
  const std::string_view raw = seg.raw();
  const uint8_t* const of = classes_.of;
  const char* p = raw.data() + seg.tag().size();  // at the first separator, or the end
  const char* const end = raw.data() + raw.size();
  const size_t defined = def.compiled.size();
  uint64_t present_mask = 0;  // as in CheckElements: bit i for non-empty element i < 64
  size_t i = 0;
  while (p < end) {
    const char* const start = ++p;  // past the separator
    ++i;
    // The separator scan and the byte-class checks in one pass over the element.
    unsigned classes = 0;
    for (; p < end; ++p) {
      const unsigned k = of[static_cast<unsigned char>(*p)];
      if (k & kSeparatorByte) break;
      classes |= k;
    }
    const size_t length = static_cast<size_t>(p - start);
    if (i > defined) {
      if (length != 0) return false;  // data beyond the definition
      continue;
    }
    const ElementRule& r = def.compiled[i - 1];
    if (length == 0) {
      if (r.mandatory) return false;
      continue;
    }
    if (i < 64) present_mask |= uint64_t{1} << i;
    if (!ValueClean(r, std::string_view(start, length), classes, delims)) return false;
  }
  return NotesHold(def, i, present_mask);
}

bool CleanCheck::ShortHolds(const SegmentDef& def, const Segment& seg) {
  const std::string_view raw = seg.raw();
  const auto n = static_cast<unsigned>(raw.size());
  const char* bytes = raw.data();
  char copy[kShortSegment];
  if (!seg.padded()) {  // ClassifyShort reads kShortSegment bytes
    std::memset(copy, 0, sizeof copy);
    std::memcpy(copy, bytes, n);
    bytes = copy;
  }
  const ShortMasks m = ClassifyShort(bytes, n, classes_);
  // A control character or the component separator anywhere is rare and invalid in every
  // AN and ID element: the exact way decides (a composite's components are its business too).
  if ((m.invalid & ~m.separator) != 0) return false;
  const ElementRule* const rules = def.compiled.data();
  const size_t defined = def.compiled.size();
  uint64_t present_mask = 0;
  size_t i = 0;
  // Each separator starts an element that runs to the next separator (or the end); the
  // element's byte classes are the class bits in that range.
  for (uint64_t seps = m.separator; seps != 0;) {
    const auto from = static_cast<unsigned>(__builtin_ctzll(seps)) + 1;
    seps &= seps - 1;
    const unsigned to = seps != 0 ? static_cast<unsigned>(__builtin_ctzll(seps)) : n;
    const unsigned length = to - from;
    if (++i > defined) {
      if (length != 0) return false;  // data beyond the definition
      continue;
    }
    const ElementRule& r = rules[i - 1];
    if (length == 0) {
      if (r.mandatory) return false;
      continue;
    }
    present_mask |= uint64_t{1} << i;  // i < kShortSegment
    unsigned counted = length;  // the length the min/max rule applies to
    if (!r.length_only) {
      const uint64_t range = (uint64_t{1} << to) - (uint64_t{1} << from);
      switch (r.type) {
        case ElementType::kID:  // with a code list
          if (!r.def->HasCode(raw.substr(from, length))) return false;
          break;
        case ElementType::kN:
          if ((m.non_digit & range) != 0) return false;  // a sign or bad data: the exact way
          break;
        case ElementType::kR: {
          // Digits and at most one decimal point, which does not count toward the length.
          const uint64_t points = m.point & range;
          if ((m.non_digit & range & ~points) != 0) return false;  // a sign or bad data
          if ((points & (points - 1)) != 0 || points == range) return false;  // "1.2.3", "."
          counted = length - (points != 0 ? 1 : 0);
          break;
        }
        case ElementType::kDT:
        case ElementType::kTM:
          if (!CheckElementValue(*r.def, raw.substr(from, length), seg.delimiters()).empty()) return false;
          continue;
        case ElementType::kB:
          continue;
        case ElementType::kAN:
        case ElementType::kComposite:
          return false;
      }
    }
    if (counted < r.min_length || counted > r.max_length) return false;
  }
  return NotesHold(def, i, present_mask);
}

bool CleanCheck::NotesHold(const SegmentDef& def, size_t count, uint64_t present_mask) {
  if (count < def.mandatory_end || !def.rules_masked) return false;  // a mandatory element is absent
  return def.rule_masks.empty() || RulesHold(def, present_mask);
}

bool CleanCheck::RulesHold(const SegmentDef& def, uint64_t present_mask) {
  // Segments of one kind come with few patterns of present elements, and a pattern that
  // passed the notes once passes again: a small cache of passed (segment, pattern) pairs
  // skips the rule loop for nearly every segment with syntax notes.
  const size_t slot = (reinterpret_cast<uintptr_t>(&def) ^ (present_mask * 0x9E3779B97F4A7C15u)) >> 58;
  PassedPattern& memo = passed_patterns_[slot];
  if (memo.def == &def && memo.present_mask == present_mask) return true;
  for (const SegmentDef::RuleMask& r : def.rule_masks) {
    if (!detail::MaskHolds(r.kind, r.mask, r.first_bit, present_mask)) return false;
  }
  memo = PassedPattern{&def, present_mask};
  return true;
}


}  // namespace edi
