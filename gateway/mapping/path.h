// X12 paths of the mapping language (docs/mapping-guide.md, "Paths"):
//
//   W06-02                 element 2 of the W06 found in the current scope (or above)
//   N1[N101=ST]/N3-01      in the N1 loop whose N101 is ST, element 1 of its N3
//   REF[REF01=BM|CN]-02    the REF whose REF01 is BM or CN
//   W12[W1201!=IS]         a segment (no element): for `each:` and conditions
//   QTY-03-1               component 1 of element 3 (composite C001)
//   LX/W12                 the W12 loops inside LX loops
//   **/HL[HL03=I]          any descendant (the 856 HL tree: loops re-parented by HL01/HL02)
//   /W06-02                from the set root only
//
// A step names a segment tag. In a loop instance it matches the segments that belong to that
// instance directly and the child loops whose trigger segment has the tag (conditions apply
// to the trigger). Paths are parsed once, when a mapping is loaded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/status.h"

namespace gateway::mapping {

struct PathCondition {
  int element = 0;    // 1-based
  int component = 0;  // 0: the whole element
  bool negate = false;  // "!="
  std::vector<std::string> values;  // any of ("BM|CN"); one empty value means "is empty"
};

struct PathStep {
  std::string tag;
  uint32_t key = 0;         // edi::detail::TagKey(tag)
  bool descendant = false;  // "**/" before the step
  std::vector<PathCondition> conditions;
};

struct X12Path {
  std::string text;
  bool absolute = false;  // leading '/': resolved from the set root only
  std::vector<PathStep> steps;
  int element = 0;    // 0: the path selects segments or loops
  int component = 0;  // 0: the whole element
  int slot = -1;      // index in its mapping's x12_paths (SetTree caches set-root lookups by it)
};

// Parses `text`; the error message says what is wrong and where in the text.
Result<X12Path> ParseX12Path(std::string_view text);

}  // namespace gateway::mapping
