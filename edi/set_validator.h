// SetValidator checks one transaction set against its schema while the segments stream by:
// segment order and loops (a stack of loop frames, like the standard's loop rules), maximum
// use and loop repeats, mandatory segments, and each segment's elements (presence, type,
// length, dates, times, code lists, syntax notes). It keeps no segment: memory is the loop
// stack plus the errors found, capped per set.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "edi/clean_check.h"
#include "edi/error.h"
#include "edi/schema.h"
#include "edi/segment.h"

namespace edi {

struct SetValidatorOptions {
  size_t max_errors = 100;  // per set; more are counted but not kept
  // The one-pass proof that a segment is clean (ElementsClean) before the element-by-element
  // checks. Off only in tests, which compare both ways: the proof must never pass a segment
  // the exact checks would fault.
  bool fast_checks = true;
};

namespace detail {
struct HlId {  // an HL01 or HL02 value
  std::string_view text;  // empty when absent
  uint32_t number = 0;    // its value when dense
  bool dense = false;     // canonical decimal below one million ("0", "7", "120"; not "07" or "A1")
};
}  // namespace detail

class SetValidator {
 public:
  SetValidator(const SchemaRegistry& registry, SetValidatorOptions options = {});

  // Starts a set; `schema` may be null (no schema for this set and version: only the
  // envelope is checked).
  void Begin(const SetSchema* schema);
  // Where a segment landed in the set's structure.
  // Small enough to come back in registers: a string_view member would come back through
  // memory and be re-read as one 16-byte load of two 8-byte stores, a store-forwarding stall
  // on every segment.
  struct Placement {
    const std::string* loop = nullptr;  // innermost loop id; null at the heading level or unplaced
    uint16_t depth = 0;                 // loop nesting depth, 0 at the heading level
    bool starts_loop = false;           // the segment is the trigger of a new loop iteration
    std::string_view loop_id() const { return loop != nullptr ? std::string_view(*loop) : std::string_view(); }
  };
  // Checks a body segment (between ST and SE). `position` counts from ST = 1. `proved_clean`:
  // the dictionary definition a CleanCheck already proved the segment clean under (ReadAhead),
  // which spares the proof when the structure places the segment under that definition.
  Placement OnSegment(const Segment& segment, uint32_t position, const SegmentDef* proved_clean = nullptr);
  // Ends the set at SE (position of SE); reports mandatory segments never seen.
  void End(const Segment* se, uint32_t position);

  std::vector<Error>& errors() { return errors_; }
  size_t error_count() const { return error_count_; }
  // True when the set has an error that rejects it (not just warnings).
  bool rejected() const { return rejected_; }

 private:
  struct Frame {
    const StructureNode* node = nullptr;
    size_t pos = 0;                 // index of the current child
    std::vector<uint32_t> counts;   // uses of each child in this iteration
  };
  void Push(const StructureNode* loop);
  void CloseFrame(Frame& f, uint32_t position, uint64_t offset);
  void ReportMissing(const Frame& f, size_t from, size_t to, uint32_t position, uint64_t offset);
  // Nearly every segment is clean, which one pass proves (or ReadAhead proved: `proved_clean`);
  // a segment with a finding (or a composite, or an unmasked syntax note) takes the
  // element-by-element path, which names each problem. Inline: it runs for every segment.
  void CheckElements(const SegmentDef& def, const Segment& seg, uint32_t position,
                     std::string_view loop, const SegmentDef* proved_clean) {
    if (options_.fast_checks && (proved_clean == &def || clean_.Holds(def, seg))) return;
    CheckEachElement(def, seg, position, loop);
  }
  void CheckEachElement(const SegmentDef& def, const Segment& seg, uint32_t position, std::string_view loop);
  void CheckHierarchy(const Segment& seg, uint32_t position, std::string_view loop);
  void AddSegmentError(const Segment* seg, std::string tag, uint32_t position, uint64_t offset,
                       std::string code, std::string loop, std::string message);
  void AddElementError(const Segment& seg, uint32_t position, std::string_view loop,
                       const ElementDef* def, int element, int component, std::string code,
                       std::string_view value, std::string message);
  void Add(Error e);

  CleanCheck clean_;

  const SchemaRegistry& registry_;
  SetValidatorOptions options_;
  const SetSchema* schema_ = nullptr;
  std::vector<Frame> stack_;  // frames reused across sets to avoid allocation
  size_t depth_ = 0;
  std::vector<Error> errors_;
  size_t error_count_ = 0;
  bool rejected_ = false;
  // HL01 values seen in this set. Canonical decimal ids ("1".."999999", no leading zero: the
  // usual 1..n) are marked in hl_stamp_ (entry == hl_set_ when seen in this set: nothing to
  // clear between sets, nothing to hash); any other id goes to hl_ids_. The two never hold
  // the same string, so together they are the set of ids; hl_count_ is its size.
  using HlId = detail::HlId;
  bool AddHlId(const HlId& id);  // false if already seen
  bool HasHlId(const HlId& id) const;
  // CheckHierarchy() for an HL that is not the usual new dense id under a dense parent seen.
  void CheckHierarchyInFull(const Segment& seg, uint32_t position, std::string_view loop,
                            const HlId& id, const HlId& parent);
  std::unordered_set<std::string> hl_ids_;
  std::vector<uint32_t> hl_stamp_;
  uint32_t hl_set_ = 0;
  size_t hl_count_ = 0;
};

}  // namespace edi
