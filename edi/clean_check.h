// CleanCheck proves in one pass over a segment's bytes that its elements pass every check of
// SetValidator's element-by-element path (presence, data beyond the definition, character
// set, numeric form, length, code lists, dates and times, masked syntax notes). Nearly every
// segment is clean, so this is the validator's hot path; "not proved" (false) is always safe:
// the exact path then decides and names each problem. The verdict depends only on the
// segment's bytes, its delimiters and its dictionary definition, never on where the segment
// stands in its set, so it can be computed ahead of the structure checks (ReadAhead does).
#pragma once

#include <array>
#include <cstdint>

#include "edi/schema.h"
#include "edi/segment.h"

namespace edi {

namespace detail {
// A masked syntax rule against the bits of the present elements. Positions of a masked rule
// are distinct, so "all present" is have == mask and "at most one" is a single bit: no
// popcount, which without -mpopcnt is a libgcc call per rule per segment.
inline bool MaskHolds(char kind, uint64_t mask, uint64_t first_bit, uint64_t present_mask) {
  const uint64_t have = mask & present_mask;
  switch (kind) {
    case 'P': return have == 0 || have == mask;
    case 'R': return have != 0;
    case 'C': return (have & first_bit) == 0 || have == mask;
    case 'E': return (have & (have - 1)) == 0;
    case 'L': return (have & first_bit) == 0 || have != first_bit;
    default: return true;
  }
}
}  // namespace detail

class CleanCheck {
 public:
  // True when the element-by-element checks would find nothing in `seg` under `def`.
  // (Inline: the callers, once per segment, go straight to the short or long way.)
  bool Holds(const SegmentDef& def, const Segment& seg) {
    const Delimiters& delims = seg.delimiters();
    if (!classes_.built || delims.element != classes_.element || delims.component != classes_.component) {
      Rebuild(delims);
    }
    return seg.raw().size() < kShortSegment ? ShortHolds(def, seg) : LongHolds(def, seg);
  }

  // Segments shorter than this (nearly all) are classified 16 bytes at a time into bit masks.
  static constexpr size_t kShortSegment = 64;

 private:

  void Rebuild(const Delimiters& delims);  // classes_ for these delimiters
  // Holds() for a segment of kShortSegment bytes or more: a byte-class table, byte by byte.
  bool LongHolds(const SegmentDef& def, const Segment& seg);
  // Holds() for a segment shorter than 64 bytes: byte classes as bit masks, 16 bytes at a
  // time, then each element's checks from its range of bits.
  bool ShortHolds(const SegmentDef& def, const Segment& seg);
  // After clean elements: the last mandatory element is among the `count` written and the
  // (masked) syntax notes hold for those in `present_mask` (bit i: element i is present).
  bool NotesHold(const SegmentDef& def, size_t count, uint64_t present_mask);
  bool RulesHold(const SegmentDef& def, uint64_t present_mask);

  // Class bits of every byte under the current delimiters; rebuilt when they change.
  struct ByteClasses {
    char element = 0;
    char component = 0;
    bool built = false;
    uint8_t of[256] = {};
  };
  ByteClasses classes_;
  struct PassedPattern {
    const SegmentDef* def = nullptr;
    uint64_t present_mask = 0;
  };
  std::array<PassedPattern, 64> passed_patterns_{};  // see RulesHold
};

}  // namespace edi
