// One transaction set held in memory as a tree of loop instances, for mapping. The validator
// streams segments with their SegmentContext (depth, loop id, whether the segment starts a
// new loop iteration); SetTree copies each segment's bytes into an arena and rebuilds the
// loop instances from that context. HL loops (856) are then re-parented by HL01/HL02, with a
// missing HL02 inferred as the most recent HL of a higher level (S > O > T > P > Q > I).
//
// Storage is reused from set to set (Clear keeps capacity), so mapping a large file does not
// allocate per segment once warmed up. Not thread-safe; one tree per mapper.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "edi/delimiters.h"
#include "edi/segment.h"
#include "edi/validator.h"
#include "gateway/mapping/path.h"

namespace gateway::mapping {

class SetTree {
 public:
  struct Instance {
    int trigger = -1;  // segment index of the loop's trigger; -1 for the set root
    int parent = -1;   // instance index; -1 for the root
    // Members in document order: a segment index (>= 0) or ~instance index (< 0).
    std::vector<int> items;
    // The tag key of each member (a loop's: its trigger's), so a step scans a flat array.
    std::vector<uint32_t> keys;
  };

  void Clear();
  // Appends a segment (called from OnSetSegment).
  void Add(const edi::Segment& segment, const edi::SegmentContext& context);
  // Ends the set: re-points Segment views into the arena with `delimiters` (which must
  // outlive the tree's use) and re-parents HL loops.
  void Finish(const edi::Delimiters* delimiters);
  size_t bytes() const { return arena_.size(); }

  size_t segment_count() const { return count_; }
  const edi::Segment& segment(int i) const { return segments_[static_cast<size_t>(i)]; }
  uint32_t position(int i) const { return records_[static_cast<size_t>(i)].position; }
  // The loop instance a segment belongs to.
  int OwnerOf(int i) const { return records_[static_cast<size_t>(i)].instance; }
  const Instance& instance(int i) const { return instances_[static_cast<size_t>(i)]; }
  static constexpr int kRoot = 0;
  // Segment that identifies an instance in messages: its trigger, or ST for the root.
  int AnchorSegment(int instance) const;

  // A place in the tree a path is resolved from: a loop instance, optionally with a current
  // segment (when iterating segments), and the enclosing evaluation scope.
  struct Scope {
    int instance = kRoot;
    int segment = -1;
    const Scope* outer = nullptr;
  };
  struct Match {
    int instance = -1;  // set when the last step matched a loop
    int segment = -1;   // the segment (a loop's trigger when instance is set)
  };

  // The first match of `path`, resolved in the current segment, then the scope's instance and
  // its enclosing loops (not the root), then the outer scopes, then the set root. At an
  // enclosing level the loops of the kind the search came up from are skipped, so a line
  // never reads a sibling line's segments. A path starting with "**/" is resolved in the
  // current scope only.
  // Returns false when nothing matches.
  bool Find(const X12Path& path, const Scope& scope, Match* out) const;
  // Every match of `path` from the first scope level where it matches anything.
  void FindAll(const X12Path& path, const Scope& scope, std::vector<Match>* out) const;
  // The scope of an `each:` item: the matched loop, or the matched segment in its loop.
  Scope ItemScope(const Match& m, const Scope* outer) const {
    Scope s;
    s.instance = m.instance >= 0 ? m.instance : OwnerOf(m.segment);
    s.segment = m.instance >= 0 ? -1 : m.segment;
    s.outer = outer;
    return s;
  }
  // The element/component the path addresses in a matched segment ("" when absent).
  std::string_view Value(const X12Path& path, const Match& m) const;
  std::string_view Value(const X12Path& path, int segment) const;

  // Find for several paths at once, each one step, relative and not "**/" (OneStep): one walk
  // up the scope's levels serves them all. out[slot] is the matched segment of paths[slot]
  // for each slot in `slots` (other entries are left alone), or -1 when nothing matches.
  void FindTogether(const std::vector<X12Path>& paths, const std::vector<int>& slots, const Scope& scope,
                    int* out) const;
  static bool OneStep(const X12Path& path) {
    return path.steps.size() == 1 && !path.absolute && !path.steps[0].descendant;
  }

 private:
  struct Record {
    uint32_t begin = 0, size = 0;
    uint64_t offset = 0;
    uint32_t position = 0;
    uint32_t key = 0;
    int instance = 0;
  };
  bool Conditions(const PathStep& step, int segment) const;
  // Matches of steps[i..] in instance `inst`; stops at the first when `all` is false.
  // `exclude`: at an enclosing level, the tag key of the loop the search came up from; its
  // sibling loops of the same kind are not searched (a line never reads another line's data).
  bool Walk(const X12Path& path, size_t i, int inst, bool all, std::vector<Match>* out, Match* first,
            uint32_t exclude = 0) const;
  bool MatchItem(const X12Path& path, size_t i, int item, bool all, std::vector<Match>* out, Match* first) const;
  bool WalkDescendants(const X12Path& path, size_t i, int inst, bool all, std::vector<Match>* out,
                       Match* first) const;
  // Tries one resolution level; returns true when anything matched.
  bool TryLevel(const X12Path& path, int segment, int inst, uint32_t exclude, bool all, std::vector<Match>* out,
                Match* first) const;
  template <class F>
  bool ForEachLevel(const X12Path& path, const Scope& scope, F&& try_level) const;
  void ReparentHl();
  int NewInstance(int trigger, int parent);
  void AddItem(int instance, int item, uint32_t key);

  // First matches at the set root, per path slot, for the current set (generation): lookups
  // of heading data from inside lines end at the root, once per line otherwise.
  struct RootMemo {
    const X12Path* path = nullptr;
    uint64_t generation = 0;
    uint32_t exclude = 0;
    bool found = false;
    Match match;
  };
  bool FindAtRoot(const X12Path& path, uint32_t exclude, Match* out) const;
  bool FindOneStep(const X12Path& path, const Scope& scope, Match* out) const;
  void FindAllOneStep(const X12Path& path, const Scope& scope, std::vector<Match>* out) const;
  mutable std::vector<RootMemo> memo_;
  uint64_t generation_ = 0;

  std::string arena_;
  std::vector<Record> records_;
  std::vector<edi::Segment> segments_;
  size_t count_ = 0;
  std::vector<Instance> instances_;
  size_t instance_count_ = 0;
  std::vector<int> stack_;  // open instances by depth
  std::vector<int> hl_;     // HL instances in document order
  std::unordered_map<std::string_view, int> hl_ids_;
};

}  // namespace gateway::mapping
