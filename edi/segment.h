// A segment as views into the reader's buffer: zero-copy, valid until the reader moves on.
// Elements are 1-based as in X12 (element(1) of "W06*N*123" is "N"); element(0) is the tag.
// Elements are split on first access, components and repetitions on demand: the validator
// checks clean segments straight from raw(), so most segments are never split. (The split
// happens in const accessors: one Segment is not for concurrent use.)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edi/delimiters.h"

namespace edi {

// Bytes that a padded segment guarantees readable after its end (see Segment::padded()).
inline constexpr size_t kSegmentPadding = 64;

class Segment {
 public:
  Segment() = default;

  std::string_view tag() const { return tag_; }
  // Number of data elements present, counting empty ones before the last non-empty one and
  // any trailing separators the sender wrote.
  size_t size() const {
    const auto& f = fields();
    return f.empty() ? 0 : f.size() - 1;
  }
  // Element i (1-based); empty when absent.
  std::string_view element(size_t i) const {
    const auto& f = fields();
    return i < f.size() ? f[i] : std::string_view();
  }
  std::string_view operator[](size_t i) const { return element(i); }
  // Component c (1-based) of element i; the whole element when no component separator.
  std::string_view component(size_t i, size_t c) const;
  size_t component_count(size_t i) const;
  // Repetition r (1-based) of element i (00402+ interchanges).
  std::string_view repetition(size_t i, size_t r) const;

  std::string_view raw() const { return raw_; }  // without the terminator
  // True when at least kSegmentPadding bytes after raw() are readable (they hold anything):
  // the reader's segments are, so vector code may load whole blocks past a segment's end.
  bool padded() const { return padded_; }
  uint64_t offset() const { return offset_; }     // byte offset of the tag in the input
  const Delimiters& delimiters() const { return *delimiters_; }

  // Copies the segment into owned storage (for consumers that keep a set in memory).
  std::string Serialize() const;

  // Re-points this segment at `raw` (its elements are split on first access). Used by the
  // reader and by consumers that re-read stored segments. `padded`: see padded().
  void Assign(std::string_view raw, uint64_t offset, const Delimiters* delimiters, bool padded = false);
  // Assign() when the tag's length (bytes before the first element separator) is known.
  void Assign(std::string_view raw, size_t tag_size, uint64_t offset, const Delimiters* delimiters, bool padded) {
    raw_ = raw;
    tag_ = raw.substr(0, tag_size);
    offset_ = offset;
    delimiters_ = delimiters;
    padded_ = padded;
    split_ = false;
  }

 private:
  const std::vector<std::string_view>& fields() const {
    if (!split_) Split();
    return fields_;
  }
  void Split() const;

  std::string_view raw_;
  std::string_view tag_;
  uint64_t offset_ = 0;
  const Delimiters* delimiters_ = nullptr;
  mutable std::vector<std::string_view> fields_;  // tag, then the elements
  mutable bool split_ = true;                     // a default Segment has nothing to split
  bool padded_ = false;
};

}  // namespace edi
