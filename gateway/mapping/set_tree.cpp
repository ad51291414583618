#include "gateway/mapping/set_tree.h"

#include <algorithm>

#include "edi/schema.h"

namespace gateway::mapping {

namespace {

const uint32_t kHlKey = edi::detail::TagKey("HL");

// Hierarchy order of HL03 level codes; a missing HL02 points at the most recent HL of a
// lower rank.
int LevelRank(std::string_view level) {
  if (level.size() != 1) return 7;
  switch (level[0]) {
    case 'S': return 0;
    case 'O': return 1;
    case 'T': return 2;
    case 'P': return 3;
    case 'Q': return 4;
    case 'I': return 5;
    case 'F': return 6;
    default: return 7;
  }
}

}  // namespace

int SetTree::NewInstance(int trigger, int parent) {
  if (instance_count_ == instances_.size()) instances_.emplace_back();
  Instance& in = instances_[instance_count_];
  in.trigger = trigger;
  in.parent = parent;
  in.items.clear();
  in.keys.clear();
  return static_cast<int>(instance_count_++);
}

void SetTree::AddItem(int instance, int item, uint32_t key) {
  Instance& in = instances_[static_cast<size_t>(instance)];
  in.items.push_back(item);
  in.keys.push_back(key);
}

void SetTree::Clear() {
  arena_.clear();
  records_.clear();
  count_ = 0;
  instance_count_ = 0;
  stack_.clear();
  hl_.clear();
  ++generation_;
  stack_.push_back(NewInstance(-1, -1));
}

void SetTree::Add(const edi::Segment& segment, const edi::SegmentContext& context) {
  if (stack_.empty()) Clear();
  Record r;
  r.begin = static_cast<uint32_t>(arena_.size());
  r.size = static_cast<uint32_t>(segment.raw().size());
  r.offset = segment.offset();
  r.position = context.position;
  r.key = edi::detail::TagKey(segment.tag());
  arena_.append(segment.raw());
  const int index = static_cast<int>(records_.size());
  const size_t depth = context.depth;
  int owner;
  if (context.starts_loop && depth > 0) {
    if (stack_.size() > depth) stack_.resize(depth);
    const int parent = stack_.back();
    owner = NewInstance(index, parent);
    AddItem(parent, ~owner, r.key);
    stack_.push_back(owner);
    if (r.key == kHlKey) hl_.push_back(owner);
  } else {
    if (stack_.size() > depth + 1) stack_.resize(depth + 1);
    owner = stack_.back();
  }
  AddItem(owner, index, r.key);
  r.instance = owner;
  records_.push_back(r);
  count_ = records_.size();
}

void SetTree::Finish(const edi::Delimiters* delimiters) {
  if (segments_.size() < count_) segments_.resize(count_);
  // Padding after the last segment (the others have the next ones after them) lets Assign
  // and Split read whole 16-byte blocks.
  arena_.append(edi::kSegmentPadding, '\0');
  for (size_t i = 0; i < count_; ++i) {
    const Record& r = records_[i];
    segments_[i].Assign(std::string_view(arena_.data() + r.begin, r.size), r.offset, delimiters, true);
  }
  if (!hl_.empty()) ReparentHl();
}

void SetTree::ReparentHl() {
  hl_ids_.clear();
  std::vector<int> old_parents;
  for (size_t k = 0; k < hl_.size(); ++k) {
    const int h = hl_[k];
    const edi::Segment& seg = segment(instances_[static_cast<size_t>(h)].trigger);
    const std::string_view parent_id = seg.element(2);
    int parent = -1;
    if (!parent_id.empty()) {
      auto it = hl_ids_.find(parent_id);
      if (it != hl_ids_.end()) parent = it->second;
    } else {
      const int rank = LevelRank(seg.element(3));
      if (rank > 0) {
        for (size_t j = k; j-- > 0;) {
          const edi::Segment& prev = segment(instances_[static_cast<size_t>(hl_[j])].trigger);
          if (LevelRank(prev.element(3)) < rank) {
            parent = hl_[j];
            break;
          }
        }
      }
    }
    hl_ids_.emplace(seg.element(1), h);
    Instance& in = instances_[static_cast<size_t>(h)];
    if (parent >= 0 && parent != in.parent) {
      if (std::find(old_parents.begin(), old_parents.end(), in.parent) == old_parents.end()) {
        old_parents.push_back(in.parent);
      }
      in.parent = parent;
      AddItem(parent, ~h, kHlKey);
    }
  }
  for (int p : old_parents) {
    Instance& in = instances_[static_cast<size_t>(p)];
    size_t kept = 0;
    for (size_t k = 0; k < in.items.size(); ++k) {
      const int it = in.items[k];
      if (it < 0 && instances_[static_cast<size_t>(~it)].parent != p) continue;
      in.items[kept] = it;
      in.keys[kept] = in.keys[k];
      ++kept;
    }
    in.items.resize(kept);
    in.keys.resize(kept);
  }
}

int SetTree::AnchorSegment(int instance) const {
  const int t = instances_[static_cast<size_t>(instance)].trigger;
  return t >= 0 ? t : 0;
}

bool SetTree::Conditions(const PathStep& step, int seg) const {
  const edi::Segment& s = segment(seg);
  for (const PathCondition& c : step.conditions) {
    const std::string_view v = c.component > 0 ? s.component(static_cast<size_t>(c.element), static_cast<size_t>(c.component))
                                               : s.element(static_cast<size_t>(c.element));
    // Qualifier codes are a few bytes: compare sizes and bytes inline, no memcmp call.
    bool hit = false;
    for (const std::string& want : c.values) {
      if (want.size() != v.size()) continue;
      size_t k = 0;
      while (k < v.size() && want[k] == v[k]) ++k;
      if (k == v.size()) {
        hit = true;
        break;
      }
    }
    if (c.negate) hit = !hit;
    if (!hit) return false;
  }
  return true;
}

bool SetTree::MatchItem(const X12Path& path, size_t i, int item, bool all, std::vector<Match>* out,
                        Match* first) const {
  const PathStep& st = path.steps[i];
  const bool last = i + 1 == path.steps.size();
  if (item >= 0) {
    if (!last || records_[static_cast<size_t>(item)].key != st.key || !Conditions(st, item)) return false;
    const Match m{-1, item};
    if (all) {
      out->push_back(m);
    } else {
      *first = m;
    }
    return true;
  }
  const int inst = ~item;
  const int trig = instances_[static_cast<size_t>(inst)].trigger;
  if (records_[static_cast<size_t>(trig)].key != st.key || !Conditions(st, trig)) return false;
  if (last) {
    const Match m{inst, trig};
    if (all) {
      out->push_back(m);
    } else {
      *first = m;
    }
    return true;
  }
  return Walk(path, i + 1, inst, all, out, first);
}

bool SetTree::Walk(const X12Path& path, size_t i, int inst, bool all, std::vector<Match>* out,
                   Match* first, uint32_t exclude) const {
  if (path.steps[i].descendant) return WalkDescendants(path, i, inst, all, out, first);
  bool any = false;
  const Instance& in = instances_[static_cast<size_t>(inst)];
  const uint32_t want = path.steps[i].key;
  const uint32_t* const keys = in.keys.data();
  const size_t n = in.keys.size();
  for (size_t k = 0; k < n; ++k) {
    // A member of another tag cannot match (MatchItem compares the same key).
    if (keys[k] != want) continue;
    const int item = in.items[k];
    if (exclude != 0 && item < 0 && want == exclude) continue;
    if (MatchItem(path, i, item, all, out, first)) {
      any = true;
      if (!all) return true;
    }
  }
  return any;
}

bool SetTree::WalkDescendants(const X12Path& path, size_t i, int inst, bool all, std::vector<Match>* out,
                              Match* first) const {
  bool any = false;
  const Instance& in = instances_[static_cast<size_t>(inst)];
  const int trigger = in.trigger;
  const uint32_t want = path.steps[i].key;
  for (size_t k = 0; k < in.items.size(); ++k) {
    const int item = in.items[k];
    // A loop's trigger stands for the loop, which the level above has already matched.
    if (item == trigger) continue;
    if (in.keys[k] == want && MatchItem(path, i, item, all, out, first)) {
      any = true;
      if (!all) return true;
    }
    if (item < 0 && WalkDescendants(path, i, ~item, all, out, first)) {
      any = true;
      if (!all) return true;
    }
  }
  return any;
}

bool SetTree::TryLevel(const X12Path& path, int seg, int inst, uint32_t exclude, bool all,
                       std::vector<Match>* out, Match* first) const {
  if (seg >= 0) {
    const PathStep& st = path.steps[0];
    if (path.steps.size() != 1 || st.descendant || records_[static_cast<size_t>(seg)].key != st.key ||
        !Conditions(st, seg)) {
      return false;
    }
    const Match m{-1, seg};
    if (all) {
      out->push_back(m);
    } else {
      *first = m;
    }
    return true;
  }
  return Walk(path, 0, inst, all, out, first, exclude);
}

template <class F>
bool SetTree::ForEachLevel(const X12Path& path, const Scope& scope, F&& try_level) const {
  if (count_ == 0) return false;
  // "**/..." searches below the current scope only: looking further up would find the
  // descendants of an enclosing loop (another pack's items).
  if (!path.absolute && path.steps[0].descendant) {
    if (scope.segment >= 0 && try_level(scope.segment, -1, 0)) return true;
    return try_level(-1, scope.instance, 0);
  }
  const auto key_of = [&](int in) {
    return records_[static_cast<size_t>(instances_[static_cast<size_t>(in)].trigger)].key;
  };
  uint32_t root_exclude = 0;
  if (!path.absolute) {
    for (const Scope* s = &scope; s != nullptr; s = s->outer) {
      if (s->segment >= 0 && try_level(s->segment, -1, 0)) return true;
      int below = -1;
      for (int in = s->instance; in > kRoot; below = in, in = instances_[static_cast<size_t>(in)].parent) {
        if (try_level(-1, in, below >= 0 ? key_of(below) : 0)) return true;
        if (s == &scope && instances_[static_cast<size_t>(in)].parent == kRoot) root_exclude = key_of(in);
      }
    }
  }
  return try_level(-1, kRoot, root_exclude);
}

bool SetTree::FindAtRoot(const X12Path& path, uint32_t exclude, Match* out) const {
  if (path.slot < 0) return TryLevel(path, -1, kRoot, exclude, false, nullptr, out);
  if (memo_.size() <= static_cast<size_t>(path.slot)) memo_.resize(static_cast<size_t>(path.slot) + 1);
  RootMemo& m = memo_[static_cast<size_t>(path.slot)];
  if (m.path != &path || m.generation != generation_ || m.exclude != exclude) {
    m.path = &path;
    m.generation = generation_;
    m.exclude = exclude;
    m.found = TryLevel(path, -1, kRoot, exclude, false, nullptr, &m.match);
  }
  if (m.found) *out = m.match;
  return m.found;
}

// Find for the usual path, one step ("W12-08", "N9[N901=2I]-02"): the levels of ForEachLevel
// with TryLevel/Walk/MatchItem folded into one scan of each instance's member keys.
bool SetTree::FindOneStep(const X12Path& path, const Scope& scope, Match* out) const {
  const PathStep& st = path.steps[0];
  const uint32_t want = st.key;
  const bool plain = st.conditions.empty();  // no condition to test
  const auto key_of = [&](int in) {
    return records_[static_cast<size_t>(instances_[static_cast<size_t>(in)].trigger)].key;
  };
  uint32_t root_exclude = 0;
  for (const Scope* s = &scope; s != nullptr; s = s->outer) {
    if (s->segment >= 0 && records_[static_cast<size_t>(s->segment)].key == want &&
        (plain || Conditions(st, s->segment))) {
      *out = Match{-1, s->segment};
      return true;
    }
    int below = -1;
    for (int in = s->instance; in > kRoot; below = in, in = instances_[static_cast<size_t>(in)].parent) {
      const Instance& inst = instances_[static_cast<size_t>(in)];
      const uint32_t exclude = below >= 0 ? key_of(below) : 0;
      const size_t n = inst.keys.size();
      for (size_t k = 0; k < n; ++k) {
        if (inst.keys[k] != want) continue;
        const int item = inst.items[k];
        if (item >= 0) {
          if (!plain && !Conditions(st, item)) continue;
          *out = Match{-1, item};
          return true;
        }
        if (exclude != 0 && want == exclude) continue;
        const int trig = instances_[static_cast<size_t>(~item)].trigger;
        if (!plain && !Conditions(st, trig)) continue;
        *out = Match{~item, trig};
        return true;
      }
      if (s == &scope && inst.parent == kRoot) root_exclude = key_of(in);
    }
  }
  return FindAtRoot(path, root_exclude, out);
}

bool SetTree::Find(const X12Path& path, const Scope& scope, Match* out) const {
  if (count_ == 0) return false;
  if (path.steps.size() == 1 && !path.absolute && !path.steps[0].descendant) return FindOneStep(path, scope, out);
  return ForEachLevel(path, scope, [&](int seg, int inst, uint32_t exclude) {
    if (seg < 0 && inst == kRoot) return FindAtRoot(path, exclude, out);
    return TryLevel(path, seg, inst, exclude, false, nullptr, out);
  });
}

// FindAll for a one-step path: the levels of ForEachLevel, each level one scan of its
// members' keys (TryLevel, Walk and MatchItem folded as in FindOneStep).
void SetTree::FindAllOneStep(const X12Path& path, const Scope& scope, std::vector<Match>* out) const {
  const PathStep& st = path.steps[0];
  const uint32_t want = st.key;
  const bool plain = st.conditions.empty();
  const auto key_of = [&](int in) {
    return records_[static_cast<size_t>(instances_[static_cast<size_t>(in)].trigger)].key;
  };
  const auto scan = [&](int in, uint32_t exclude) {
    const Instance& inst = instances_[static_cast<size_t>(in)];
    bool any = false;
    const size_t n = inst.keys.size();
    for (size_t k = 0; k < n; ++k) {
      if (inst.keys[k] != want) continue;
      const int item = inst.items[k];
      if (item >= 0) {
        if (plain || Conditions(st, item)) {
          out->push_back(Match{-1, item});
          any = true;
        }
        continue;
      }
      if (exclude != 0 && want == exclude) continue;
      const int trig = instances_[static_cast<size_t>(~item)].trigger;
      if (plain || Conditions(st, trig)) {
        out->push_back(Match{~item, trig});
        any = true;
      }
    }
    return any;
  };
  uint32_t root_exclude = 0;
  for (const Scope* s = &scope; s != nullptr; s = s->outer) {
    if (s->segment >= 0 && records_[static_cast<size_t>(s->segment)].key == want &&
        (plain || Conditions(st, s->segment))) {
      out->push_back(Match{-1, s->segment});
      return;
    }
    int below = -1;
    for (int in = s->instance; in > kRoot; below = in, in = instances_[static_cast<size_t>(in)].parent) {
      if (scan(in, below >= 0 ? key_of(below) : 0)) return;
      if (s == &scope && instances_[static_cast<size_t>(in)].parent == kRoot) root_exclude = key_of(in);
    }
  }
  scan(kRoot, root_exclude);
}

void SetTree::FindAll(const X12Path& path, const Scope& scope, std::vector<Match>* out) const {
  if (OneStep(path)) {
    if (count_ > 0) FindAllOneStep(path, scope, out);
    return;
  }
  ForEachLevel(path, scope, [&](int seg, int inst, uint32_t exclude) {
    return TryLevel(path, seg, inst, exclude, true, out, nullptr);
  });
}

void SetTree::FindTogether(const std::vector<X12Path>& paths, const std::vector<int>& slots, const Scope& scope,
                           int* out) const {
  // The levels of FindOneStep, walked once; at each level every path still pending is tried
  // against the level's members in order, so each takes its first match as it would alone.
  // The pending paths' tag keys and steps sit in small arrays: the member loop compares keys
  // without going through the paths.
  constexpr size_t kMax = 64;
  int pending[kMax];
  uint32_t want[kMax];
  const PathStep* step[kMax];
  size_t left = 0;
  for (int slot : slots) {
    out[slot] = -1;
    if (count_ == 0) continue;
    const X12Path& path = paths[static_cast<size_t>(slot)];
    if (left == kMax) {  // more one-step paths than one object should have: one by one
      Match m;
      if (FindOneStep(path, scope, &m)) out[slot] = m.segment;
      continue;
    }
    pending[left] = slot;
    want[left] = path.steps[0].key;
    step[left] = &path.steps[0];
    ++left;
  }
  const auto key_of = [&](int in) {
    return records_[static_cast<size_t>(instances_[static_cast<size_t>(in)].trigger)].key;
  };
  // Tries `segment` (whose tag key is `key`) for every pending path.
  const auto offer = [&](uint32_t key, int segment) {
    for (size_t i = 0; i < left;) {
      if (want[i] != key || (!step[i]->conditions.empty() && !Conditions(*step[i], segment))) {
        ++i;
        continue;
      }
      out[pending[i]] = segment;
      --left;  // order among the pending does not matter
      pending[i] = pending[left];
      want[i] = want[left];
      step[i] = step[left];
    }
  };
  uint32_t root_exclude = 0;
  for (const Scope* s = &scope; s != nullptr && left > 0; s = s->outer) {
    if (s->segment >= 0) offer(records_[static_cast<size_t>(s->segment)].key, s->segment);
    int below = -1;
    for (int in = s->instance; in > kRoot && left > 0; below = in, in = instances_[static_cast<size_t>(in)].parent) {
      const Instance& inst = instances_[static_cast<size_t>(in)];
      const uint32_t exclude = below >= 0 ? key_of(below) : 0;
      const size_t n = inst.keys.size();
      for (size_t k = 0; k < n && left > 0; ++k) {
        const uint32_t key = inst.keys[k];
        const int item = inst.items[k];
        if (item < 0 && exclude != 0 && key == exclude) continue;
        offer(key, item >= 0 ? item : instances_[static_cast<size_t>(~item)].trigger);
      }
      if (s == &scope && inst.parent == kRoot) root_exclude = key_of(in);
    }
  }
  if (left > 0 && scope.instance == kRoot && scope.outer == nullptr) {
    // The set root's own scope (the data object): one scan of the root for all, as at the
    // levels above; the per-path memo is for lookups that end at the root from below.
    const Instance& root = instances_[static_cast<size_t>(kRoot)];
    for (size_t k = 0; k < root.keys.size() && left > 0; ++k) {
      const int item = root.items[k];
      offer(root.keys[k], item >= 0 ? item : instances_[static_cast<size_t>(~item)].trigger);
    }
    return;
  }
  for (size_t i = 0; i < left; ++i) {
    Match m;
    if (FindAtRoot(paths[static_cast<size_t>(pending[i])], root_exclude, &m)) out[pending[i]] = m.segment;
  }
}

std::string_view SetTree::Value(const X12Path& path, int seg) const {
  if (seg < 0 || path.element <= 0) return {};
  const edi::Segment& s = segment(seg);
  if (path.component > 0) return s.component(static_cast<size_t>(path.element), static_cast<size_t>(path.component));
  return s.element(static_cast<size_t>(path.element));
}

std::string_view SetTree::Value(const X12Path& path, const Match& m) const {
  if (m.segment < 0 || path.element <= 0) return {};
  const edi::Segment& s = segment(m.segment);
  if (path.component > 0) return s.component(static_cast<size_t>(path.element), static_cast<size_t>(path.component));
  return s.element(static_cast<size_t>(path.element));
}

}  // namespace gateway::mapping
