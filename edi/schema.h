// Transaction set schemas: the segment dictionary (elements, types, lengths, code lists,
// syntax notes) and each set's structure (segment order, loops, requirement, maximum use).
// Schemas are data (edi/schemas/<version>/*.x12s, grammar in edi/schemas/README.md),
// embedded at build time; SchemaRegistry::Builtin() parses them once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "edi/error.h"

namespace edi {

enum class ElementType : uint8_t { kAN, kID, kDT, kTM, kR, kN, kB, kComposite };

struct CompositeDef;

struct ElementDef {
  std::string ref;   // "W0601"
  std::string id;    // data element reference number, "514"; composite id "C001"
  bool mandatory = false;
  ElementType type = ElementType::kAN;
  int decimals = 0;  // Nn: implied decimals
  int min_length = 0;
  int max_length = 0;
  std::string name;
  std::vector<std::string> codes;  // sorted; empty = any value
  const CompositeDef* composite = nullptr;
  // detail::TagKey of every code of 1-3 bytes in an open-addressed table (a power of two
  // slots, at most half full, 0 = empty: no key is 0), when `codes_indexed` (set by the
  // schema parser; a hand-built ElementDef without it uses `codes` only). Code lookups run
  // for most ID elements of every segment: one probe instead of a binary search.
  std::vector<uint32_t> code_slots;
  unsigned code_shift = 32;
  bool codes_indexed = false;
  void IndexCodes();

  bool HasCode(std::string_view v) const;
};

struct CompositeDef {
  std::string id;
  std::string name;
  std::vector<ElementDef> components;
};

// A syntax note: P paired, R required (at least one), C conditional, E exclusion,
// L list conditional. Positions are 1-based element positions.
struct SyntaxRule {
  char kind = 'P';
  std::vector<int> positions;
  std::string text;  // "P0708", for messages
  // Bit p set for each position p (all below 64), filled by the schema parser when `masked`:
  // lets the validator test a rule against a segment's present-element mask at once.
  uint64_t mask = 0;
  bool masked = false;
};

// What the validator's one-pass check reads for each element of every segment, packed flat
// (24 bytes, no strings) so a segment's rules share a cache line or two. The ElementDef
// behind it (names, code strings) serves code lookups and the error path.
struct ElementRule {
  ElementType type = ElementType::kAN;
  bool mandatory = false;
  bool has_codes = false;
  bool length_only = false;  // AN, or ID without a code list: valid characters and length
  uint32_t min_length = 0;
  uint32_t max_length = 0;
  const ElementDef* def = nullptr;
};

struct SegmentDef {
  std::string tag;
  std::string name;
  std::vector<ElementDef> elements;
  std::vector<SyntaxRule> rules;
  size_t mandatory_end = 0;  // 1-based position of the last mandatory element, 0 if none
  std::vector<ElementRule> compiled;  // one per element, filled by the schema parser
  // The syntax notes as flat masks for the validator's clean check (when all are `masked`).
  struct RuleMask {
    uint64_t mask = 0;
    uint64_t first_bit = 0;  // the rule's first position
    char kind = 'P';
  };
  std::vector<RuleMask> rule_masks;
  bool rules_masked = true;
};

inline constexpr uint32_t kUnbounded = 0xFFFFFFFFu;

namespace detail {
// A segment tag of 1-3 bytes as one number (length and bytes), so the per-segment structure
// search compares integers; longer tags (never valid) all map to kLongTagKey and need a
// string comparison.
inline constexpr uint32_t kLongTagKey = 0xFFFFFFFFu;
inline uint32_t TagKey(std::string_view tag) {
  // By length, without a loop: every segment's tag goes through here, twice.
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(tag[i])); };
  switch (tag.size()) {
    case 0: return 0;
    case 1: return 1u << 24 | byte(0) << 16;
    case 2: return 2u << 24 | byte(0) << 16 | byte(1) << 8;
    case 3: return 3u << 24 | byte(0) << 16 | byte(1) << 8 | byte(2);
    default: return kLongTagKey;
  }
}
}  // namespace detail

// Where each tag occurs among a loop's children, so placing a segment costs one hash probe
// instead of a scan of the children. Built with the structure (schema parser).
class ChildIndex {
 public:
  void Build(const std::vector<uint32_t>& child_keys);
  // The indices of the children whose key is `key`, ascending (often one, never many).
  std::span<const uint16_t> Find(uint32_t key) const {
    if (slots_.empty()) return {};
    for (size_t h = Hash(key);; h = (h + 1) & mask_) {
      const Slot& s = slots_[h];
      if (s.count == 0) return {};
      if (s.key == key) return {positions_.data() + s.first, s.count};
    }
  }

 private:
  struct Slot {
    uint32_t key = 0;
    uint16_t first = 0;  // into positions_
    uint16_t count = 0;  // 0: empty slot
  };
  size_t Hash(uint32_t key) const { return (key * 0x9E3779B1u) >> shift_ & mask_; }
  std::vector<Slot> slots_;         // open addressing, a power of two, at most half full
  std::vector<uint16_t> positions_;  // child indices grouped by key
  size_t mask_ = 0;
  unsigned shift_ = 0;
};

// One position in a set's structure: a segment, or a loop whose children follow.
struct StructureNode {
  bool is_loop = false;
  std::string tag;      // segment tag; for a loop, its trigger segment's tag
  std::string loop_id;  // loops only
  bool mandatory = false;
  uint32_t max_use = 1;
  const SegmentDef* segment = nullptr;  // segments, and a loop's trigger
  std::vector<StructureNode> children;  // loops only; children[0] is the trigger
  uint32_t key = 0;           // detail::TagKey(tag)
  size_t mandatory_end = 0;   // loops: 1 + the index of the last mandatory child, 0 if none
  ChildIndex child_index;     // loops: children by key
};

struct SetSchema {
  std::string id;             // "945"
  std::string functional_id;  // "SW"
  std::string name;
  std::string version;        // "004010"
  StructureNode root;         // a loop without trigger: ST ... SE
  std::vector<std::string> tags;  // every tag the structure uses, sorted
  bool UsesTag(std::string_view tag) const;
};

class SchemaRegistry {
 public:
  // Parses (path, text) pairs; paths look like "004010/945.x12s". Errors name file and line.
  static Result<std::shared_ptr<const SchemaRegistry>> Load(
      const std::vector<std::pair<std::string_view, std::string_view>>& files);
  // The schemas embedded in the binary. Aborts if they do not parse (a build defect).
  static const SchemaRegistry& Builtin();

  // The schema for set `set_id` in a group whose GS08 is `gs08` (matched on its first six
  // characters), or nullptr.
  const SetSchema* FindSet(std::string_view set_id, std::string_view gs08) const;
  // The dictionary definition of segment `tag` in version `gs08` (first six characters), or
  // nullptr. Set structures point at these same definitions.
  const SegmentDef* FindSegment(std::string_view tag, std::string_view gs08) const;
  // The functional identifier code (GS01) expected for a set id, "" if unknown.
  std::string_view FunctionalIdFor(std::string_view set_id) const;
  // True if any dictionary defines the segment tag.
  bool KnowsSegment(std::string_view tag) const;
  std::vector<std::string> SetIds() const;

 private:
  struct Version {
    std::unordered_map<std::string, std::unique_ptr<CompositeDef>> composites;
    std::unordered_map<std::string, std::unique_ptr<SegmentDef>> segments;
    std::unordered_map<std::string, std::unique_ptr<SetSchema>> sets;
  };
  std::unordered_map<std::string, Version> versions_;
  friend class SchemaParser;
};

}  // namespace edi
