// An inbound X12 mapping compiled for the sets that map cleanly, which are nearly all of them.
// The Evaluator walks the rule tree and resolves every field's path on its own, copying each
// value into a string; a SetPlan resolves the one-step paths of an object together, in one
// walk of the object's scope (SetTree::FindTogether), and carries values as views into the
// set's bytes until they are written.
//
// It never reports: at the first thing the Evaluator would report (a required value missing,
// a code not in its table, a value that does not convert) it gives up, and the caller maps
// the set again with the Evaluator, which words the errors. So a plan only has to be right
// for clean sets, and there its output is the Evaluator's, byte for byte (the tests compare
// both over damaged and generated files).
//
// One plan per mapping and thread: it keeps per-set scratch state.
#pragma once

#include <array>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/canonical/json_text.h"
#include "gateway/mapping/mapping.h"
#include "gateway/mapping/set_tree.h"

namespace gateway::mapping {

class SetPlan {
 public:
  explicit SetPlan(const Mapping& m);

  // Starts a set: the idempotency key parts (the data's key fields, in key order). False when
  // the set needs the Evaluator (a key field would be reported, or is empty).
  bool Begin(const SetTree& tree, std::vector<std::string>* key_parts);
  // Writes the data object of the set begun. False when the set needs the Evaluator; the
  // caller drops what was written.
  bool WriteData(canonical::JsonBuffer& out);

 private:
  // The rule tree's objects and arrays, with what a scope needs when it is entered.
  struct Node {
    const Rule* rule = nullptr;
    std::vector<Node> fields;  // mirrors rule->fields
    // Objects that open a scope (the data object, array items): the one-step sources their
    // fields read in it, found together when the scope is entered; one per segment step
    // (W12-01 and W12-08 look for the same W12), the others take their step's match.
    std::vector<int> bind;
    std::vector<std::pair<int, int>> same_step;  // (source, the source in `bind` with its step)
    // A value field that is one source's text, trimmed (and as written, when it is a number
    // already in normal form): written without the general steps of Value.
    bool plain = false;
    // `"name":` in a fixed-size buffer, copied whole (a constant-size copy is a couple of
    // vector moves) and cut to key_size; 0 when the key is longer (written the general way).
    static constexpr size_t kKeyBuffer = 48;
    std::array<char, kKeyBuffer> key{};
    size_t key_size = 0;
  };
  struct Ctx {
    SetTree::Scope scope;
    int index = 0;
    // Segment (or -1) by source for the scope's bound sources; kUnbound for the others.
    const int* bound = nullptr;
  };
  static constexpr int kUnbound = -2;
  enum class Got { kAbsent, kPresent, kGiveUp };

  Node Compile(const Rule& r);
  void Collect(const Rule& r, std::vector<int>* bind) const;
  void ShareSteps(Node* n) const;
  // A scope's context with its sources found; Leave undoes it.
  Ctx Enter(const Node& n, const Ctx& ctx);
  void Leave(const Node& n);

  bool Scalar(int source, const Ctx& ctx, std::string_view* v);
  bool Test(const Condition& c, const Ctx& ctx);
  Got Value(const Rule& r, const Ctx& ctx, std::string_view* v, size_t depth);
  Got Raw(const Rule& r, const Ctx& ctx, std::string_view* v, size_t depth);
  bool Lookup(const Rule& r, std::string_view* v, bool* present);
  static void WriteKey(const Node& n, canonical::JsonBuffer& out);
  bool WriteObject(const Node& n, const Ctx& ctx, canonical::JsonBuffer& out);
  Got WriteField(const Node& n, const Ctx& ctx, canonical::JsonBuffer& out, bool first);
  bool WriteArray(const Node& n, const Ctx& ctx, canonical::JsonBuffer& out);
  template <class F>
  size_t Each(int source, const Ctx& ctx, F&& f);

  const Mapping& m_;
  Node data_;
  const SetTree* tree_ = nullptr;
  Ctx root_;
  // Resolved sources of the scopes entered, innermost last (a deque: entries stay put).
  std::deque<std::vector<int>> bound_;
  size_t bound_depth_ = 0;
  std::deque<std::vector<SetTree::Match>> matches_;  // Each, by nesting
  size_t each_depth_ = 0;
  // Values that are not views of the set (converted, combined): one buffer per nesting level
  // of a value's parts, so a part's text is not overwritten before its parent uses it.
  static constexpr size_t kScratch = 16;
  std::array<std::string, kScratch> scratch_;
  std::string convert_;
  std::string why_;
  bool gave_up_ = false;
};

}  // namespace gateway::mapping
