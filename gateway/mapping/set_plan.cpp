#include "gateway/mapping/set_plan.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "gateway/mapping/decimal.h"
#include "gateway/mapping/transforms.h"

namespace gateway::mapping {

namespace {

bool SameText(const std::string& a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < b.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

bool AnyOf(const std::vector<std::string>& values, std::string_view v) {
  for (const std::string& x : values) {
    if (SameText(x, v)) return true;
  }
  return false;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True when ConvertValue would leave `v` as it is for a decimal (or, `whole`, an integer)
// without implied decimals: an optional '-', digits without a leading zero, and a fraction
// without a trailing zero; not "-0". Anything else takes ConvertValue.
bool NormalNumber(std::string_view v, bool whole) {
  const size_t n = v.size();
  if (n == 0 || n > 60) return false;
  size_t i = v[0] == '-' ? 1 : 0;
  const size_t ib = i;
  while (i < n && IsDigit(v[i])) ++i;
  if (i == ib || (v[ib] == '0' && i - ib > 1)) return false;
  if (i == n) return !(ib == 1 && i - ib == 1 && v[ib] == '0');
  if (whole || v[i] != '.') return false;
  const size_t fb = ++i;
  while (i < n && IsDigit(v[i])) ++i;
  return i == n && i > fb && v[n - 1] != '0';
}

// a - b when both are plain digit strings short enough for int64 (quantities): the text
// DecimalSubtract gives for them. False otherwise.
bool SmallDifference(std::string_view a, std::string_view b, std::string* out) {
  const auto parse = [](std::string_view s, int64_t* v) {
    if (s.empty() || s.size() > 17) return false;
    int64_t x = 0;
    for (char c : s) {
      if (!IsDigit(c)) return false;
      x = x * 10 + (c - '0');
    }
    *v = x;
    return true;
  };
  int64_t x = 0, y = 0;
  if (!parse(a, &x) || !parse(b, &y)) return false;
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, x - y);
  out->assign(buf, static_cast<size_t>(r.ptr - buf));
  return true;
}

void Key(canonical::JsonBuffer& out, const Rule& r) {
  if (!r.json_key.empty()) {
    out.append(r.json_key);
    return;
  }
  out.push_back('"');
  out.append(r.name);
  out += "\":";
}

}  // namespace

SetPlan::SetPlan(const Mapping& m) : m_(m) {
  data_ = Compile(m.data);
  for (const Rule& f : m.data.fields) Collect(f, &data_.bind);
  ShareSteps(&data_);
}

void SetPlan::ShareSteps(Node* n) const {
  const auto same = [](const PathStep& a, const PathStep& b) {
    if (a.key != b.key || a.tag != b.tag || a.conditions.size() != b.conditions.size()) return false;
    for (size_t i = 0; i < a.conditions.size(); ++i) {
      const PathCondition& x = a.conditions[i];
      const PathCondition& y = b.conditions[i];
      if (x.element != y.element || x.component != y.component || x.negate != y.negate || x.values != y.values) {
        return false;
      }
    }
    return true;
  };
  std::vector<int> distinct;
  for (int source : n->bind) {
    const PathStep& step = m_.x12_paths[static_cast<size_t>(source)].steps[0];
    auto it = std::find_if(distinct.begin(), distinct.end(), [&](int d) {
      return same(m_.x12_paths[static_cast<size_t>(d)].steps[0], step);
    });
    if (it == distinct.end()) {
      distinct.push_back(source);
    } else {
      n->same_step.emplace_back(source, *it);
    }
  }
  n->bind = std::move(distinct);
}

SetPlan::Node SetPlan::Compile(const Rule& r) {
  Node n;
  n.rule = &r;
  n.plain = r.kind == Rule::Kind::kValue && r.combine == Rule::Combine::kNone && r.source >= 0 && !r.constant &&
            !r.when && !r.upper && !r.has_map && r.table < 0 && r.trim &&
            (r.type == ValueType::kString ||
             ((r.type == ValueType::kDecimal || r.type == ValueType::kInteger) && r.implied_decimals == 0));
  const std::string key = !r.json_key.empty() ? r.json_key : "\"" + r.name + "\":";
  if (key.size() <= Node::kKeyBuffer) {
    std::copy(key.begin(), key.end(), n.key.begin());
    n.key_size = key.size();
  }
  for (const Rule& f : r.fields) n.fields.push_back(Compile(f));
  if (r.kind == Rule::Kind::kArray) {
    for (const Rule& f : r.fields) Collect(f, &n.bind);  // read in each item's scope
    ShareSteps(&n);
  }
  return n;
}

// The one-step sources `r` reads in the scope it is evaluated in.
void SetPlan::Collect(const Rule& r, std::vector<int>* bind) const {
  const auto add = [&](int source) {
    if (source < 0 || !SetTree::OneStep(m_.x12_paths[static_cast<size_t>(source)])) return;
    if (std::find(bind->begin(), bind->end(), source) == bind->end()) bind->push_back(source);
  };
  if (r.when) add(r.when->source);
  switch (r.kind) {
    case Rule::Kind::kValue:
      if (r.combine == Rule::Combine::kSum) break;  // its part is read in the summed items
      add(r.source);
      for (const Rule& p : r.parts) Collect(p, bind);
      break;
    case Rule::Kind::kObject:
      for (const Rule& f : r.fields) Collect(f, bind);
      break;
    case Rule::Kind::kCollect:
      for (const Rule& p : r.parts) Collect(p, bind);
      break;
    case Rule::Kind::kArray:
      break;  // items have scopes of their own
  }
}

SetPlan::Ctx SetPlan::Enter(const Node& n, const Ctx& ctx) {
  Ctx c = ctx;
  if (n.bind.empty()) return c;
  if (bound_depth_ == bound_.size()) bound_.emplace_back(m_.x12_paths.size(), kUnbound);
  std::vector<int>& b = bound_[bound_depth_++];
  tree_->FindTogether(m_.x12_paths, n.bind, ctx.scope, b.data());
  for (const auto& [source, with] : n.same_step) b[static_cast<size_t>(source)] = b[static_cast<size_t>(with)];
  c.bound = b.data();
  return c;
}

void SetPlan::Leave(const Node& n) {
  if (n.bind.empty()) return;
  std::vector<int>& b = bound_[--bound_depth_];
  for (int slot : n.bind) b[static_cast<size_t>(slot)] = kUnbound;
  for (const auto& shared : n.same_step) b[static_cast<size_t>(shared.first)] = kUnbound;
}

bool SetPlan::Begin(const SetTree& tree, std::vector<std::string>* key_parts) {
  tree_ = &tree;
  gave_up_ = false;
  root_ = Enter(data_, Ctx{});
  key_parts->resize(m_.key_fields.size());
  for (std::string& p : *key_parts) p.clear();
  for (const Rule& f : m_.data.fields) {
    if (f.key_slot < 0 || f.kind != Rule::Kind::kValue) continue;
    std::string_view v;
    // An empty key field is reported by the Evaluator.
    if (Value(f, root_, &v, 0) != Got::kPresent) {
      Leave(data_);
      return false;
    }
    (*key_parts)[static_cast<size_t>(f.key_slot)].assign(v.data(), v.size());
  }
  return true;
}

bool SetPlan::WriteData(canonical::JsonBuffer& out) {
  const bool ok = WriteObject(data_, root_, out);
  Leave(data_);
  return ok && !gave_up_;
}

bool SetPlan::Scalar(int source, const Ctx& ctx, std::string_view* v) {
  const X12Path& p = m_.x12_paths[static_cast<size_t>(source)];
  int seg = ctx.bound != nullptr ? ctx.bound[source] : kUnbound;
  if (seg == kUnbound) {
    SetTree::Match match;
    seg = tree_->Find(p, ctx.scope, &match) ? match.segment : -1;
  }
  if (seg < 0) return false;
  if (p.element == 0) {
    *v = tree_->segment(seg).tag();
    return true;
  }
  *v = tree_->Value(p, seg);
  return !v->empty();
}

bool SetPlan::Test(const Condition& c, const Ctx& ctx) {
  std::string_view v;
  const bool present = Scalar(c.source, ctx, &v) && !v.empty();
  switch (c.op) {
    case Condition::Op::kExists: return present;
    case Condition::Op::kMissing: return !present;
    case Condition::Op::kEq:
    case Condition::Op::kIn:
      return present && AnyOf(c.values, v);
    case Condition::Op::kNe:
    case Condition::Op::kNotIn:
      return !present || !AnyOf(c.values, v);
  }
  return false;
}

template <class F>
size_t SetPlan::Each(int source, const Ctx& ctx, F&& f) {
  if (each_depth_ == matches_.size()) matches_.emplace_back();
  std::vector<SetTree::Match>& matches = matches_[each_depth_++];
  matches.clear();
  tree_->FindAll(m_.x12_paths[static_cast<size_t>(source)], ctx.scope, &matches);
  for (size_t i = 0; i < matches.size() && !gave_up_; ++i) {
    Ctx item;
    item.scope = tree_->ItemScope(matches[i], &ctx.scope);
    item.index = static_cast<int>(i) + 1;
    f(item);
  }
  --each_depth_;
  return matches.size();
}

SetPlan::Got SetPlan::Raw(const Rule& r, const Ctx& ctx, std::string_view* v, size_t depth) {
  switch (r.combine) {
    case Rule::Combine::kNone:
      if (r.constant) {
        *v = *r.constant;
        return Got::kPresent;
      }
      if (r.source >= 0) return Scalar(r.source, ctx, v) ? Got::kPresent : Got::kAbsent;
      return Got::kAbsent;
    case Rule::Combine::kConcat: {
      std::string& acc = scratch_[depth];
      acc.clear();
      bool any = false;
      for (const Rule& p : r.parts) {
        std::string_view part;
        const Got g = Value(p, ctx, &part, depth + 1);
        if (g == Got::kGiveUp) return g;
        if (g == Got::kAbsent) continue;
        if (any) acc += r.separator;
        acc.append(part.data(), part.size());
        any = true;
      }
      *v = acc;
      return any ? Got::kPresent : Got::kAbsent;
    }
    case Rule::Combine::kFirst:
      for (const Rule& p : r.parts) {
        const Got g = Value(p, ctx, v, depth + 1);
        if (g != Got::kAbsent) return g;
      }
      return Got::kAbsent;
    case Rule::Combine::kDifference: {
      std::string_view a, b;
      Got g = Value(r.parts[0], ctx, &a, depth + 1);
      if (g != Got::kPresent) return g;
      // `a` may live in the scratch of the levels below, which `b` reuses: keep a copy here.
      std::string& held = scratch_[depth];
      held.assign(a.data(), a.size());
      a = held;
      g = Value(r.parts[1], ctx, &b, depth + 1);
      if (g != Got::kPresent) return g;
      if (!SmallDifference(a, b, &convert_)) {
        auto exact = DecimalSubtract(a, b);
        if (!exact) return Got::kGiveUp;
        convert_ = std::move(*exact);
      }
      held.swap(convert_);
      *v = held;
      return Got::kPresent;
    }
    case Rule::Combine::kSum: {
      std::string& total = scratch_[depth];
      total = "0";
      bool ok = true;
      Each(r.sum_each, ctx, [&](const Ctx& item) {
        std::string_view part;
        const Got g = Value(r.parts[0], item, &part, depth + 1);
        if (g == Got::kGiveUp) {
          gave_up_ = true;
          return;
        }
        if (g == Got::kAbsent) return;
        auto s = DecimalAdd(total, part);
        if (!s) {
          ok = false;
          return;
        }
        total = std::move(*s);
      });
      if (!ok || gave_up_) return Got::kGiveUp;
      *v = total;
      return Got::kPresent;
    }
    case Rule::Combine::kIndex: {
      std::string& s = scratch_[depth];
      s = std::to_string(ctx.index);
      *v = s;
      return Got::kPresent;
    }
  }
  return Got::kAbsent;
}

bool SetPlan::Lookup(const Rule& r, std::string_view* v, bool* present) {
  const std::string* hit = nullptr;
  if (r.has_map) {
    for (const auto& [k, mapped] : r.map) {
      if (SameText(k, *v)) hit = &mapped;  // the last entry wins, as in the Evaluator
    }
  } else {
    const partners::CodeTable& t = m_.tables[static_cast<size_t>(r.table)];
    hit = r.reverse_lookup ? t.FindReverse(*v) : t.Find(*v);
  }
  if (hit != nullptr) {
    *v = *hit;
    return true;
  }
  switch (r.on_missing) {
    case Rule::OnMissing::kKeep: return true;
    case Rule::OnMissing::kOmit:
      *present = false;
      return true;
    case Rule::OnMissing::kError: break;
  }
  return false;
}

SetPlan::Got SetPlan::Value(const Rule& r, const Ctx& ctx, std::string_view* v, size_t depth) {
  if (depth + 2 >= kScratch) return Got::kGiveUp;  // parts nested deeper than any real mapping
  if (r.when && !Test(*r.when, ctx)) return Got::kAbsent;
  const Got raw = Raw(r, ctx, v, depth);
  if (raw == Got::kGiveUp) return raw;
  bool present = raw == Got::kPresent;
  if (present && r.trim) *v = TrimmedView(*v);
  if (present && v->empty()) present = false;
  if (present && r.upper) {
    std::string& s = scratch_[depth];
    s.assign(v->data(), v->size());  // may be s itself (a concatenation): assign copes
    ToUpper(s);
    *v = s;
  }
  if (present && (r.has_map || r.table >= 0) && !Lookup(r, v, &present)) return Got::kGiveUp;
  if (present && r.type != ValueType::kString &&
      !((r.type == ValueType::kDecimal || r.type == ValueType::kInteger) && r.implied_decimals == 0 &&
        NormalNumber(*v, r.type == ValueType::kInteger))) {
    convert_.assign(v->data(), v->size());
    if (!ConvertValue(r.type, r.implied_decimals, false, convert_, &why_)) return Got::kGiveUp;
    scratch_[depth].swap(convert_);
    *v = scratch_[depth];
  }
  if (!present && r.default_value) {
    *v = *r.default_value;
    present = true;
  }
  if (!present && r.required) return Got::kGiveUp;
  return present ? Got::kPresent : Got::kAbsent;
}

void SetPlan::WriteKey(const Node& n, canonical::JsonBuffer& out) {
  if (n.key_size == 0) {
    Key(out, *n.rule);
    return;
  }
  std::memcpy(out.Reserve(Node::kKeyBuffer), n.key.data(), Node::kKeyBuffer);
  out.Commit(n.key_size);
}

bool SetPlan::WriteObject(const Node& n, const Ctx& ctx, canonical::JsonBuffer& out) {
  out.push_back('{');
  bool first = true;
  for (const Node& f : n.fields) {
    const Got g = WriteField(f, ctx, out, first);
    if (g == Got::kGiveUp) return false;
    if (g == Got::kPresent) first = false;
  }
  out.push_back('}');
  return true;
}

SetPlan::Got SetPlan::WriteField(const Node& n, const Ctx& ctx, canonical::JsonBuffer& out, bool first) {
  const Rule& r = *n.rule;
  const size_t mark = out.size();
  if (!first) out.push_back(',');
  switch (r.kind) {
    case Rule::Kind::kValue: {
      std::string_view v;
      if (n.plain) {
        const bool found = Scalar(r.source, ctx, &v);
        if (found) v = TrimmedView(v);
        if (found && !v.empty()) {
          if (r.type == ValueType::kString || NormalNumber(v, r.type == ValueType::kInteger)) {
            WriteKey(n, out);
            if (r.type == ValueType::kInteger) {
              out.append(v);
            } else {
              canonical::AppendJsonString(out, v);
            }
            return Got::kPresent;
          }
        } else if (!r.default_value && !r.required) {
          break;  // absent
        }
        // A number to normalise, a default or a missing required value: the general way.
      }
      const Got g = Value(r, ctx, &v, 0);
      if (g == Got::kGiveUp) return g;
      if (g == Got::kAbsent) break;
      WriteKey(n, out);
      if (r.type == ValueType::kInteger || r.type == ValueType::kBoolean) {
        out.append(v);
      } else {
        canonical::AppendJsonString(out, v);
      }
      return g;
    }
    case Rule::Kind::kObject: {
      if (r.when && !Test(*r.when, ctx)) break;
      WriteKey(n, out);
      const size_t body = out.size();
      if (!WriteObject(n, ctx, out)) return Got::kGiveUp;
      if (out.size() - body == 2) {  // "{}"
        if (r.required) return Got::kGiveUp;
        break;
      }
      return Got::kPresent;
    }
    case Rule::Kind::kArray:
    case Rule::Kind::kCollect: {
      if (r.when && !Test(*r.when, ctx)) break;
      WriteKey(n, out);
      const size_t body = out.size();
      if (!WriteArray(n, ctx, out)) return Got::kGiveUp;
      if (out.size() - body == 2) {  // "[]"
        if (r.required) return Got::kGiveUp;
        if (r.kind == Rule::Kind::kCollect) break;
      }
      return Got::kPresent;
    }
  }
  out.resize(mark);
  return gave_up_ ? Got::kGiveUp : Got::kAbsent;
}

bool SetPlan::WriteArray(const Node& n, const Ctx& ctx, canonical::JsonBuffer& out) {
  const Rule& r = *n.rule;
  out.push_back('[');
  int count = 0;
  if (r.kind == Rule::Kind::kCollect) {
    for (const Rule& p : r.parts) {
      std::string_view v;
      const Got g = Value(p, ctx, &v, 0);
      if (g == Got::kGiveUp) return false;
      if (g == Got::kAbsent) continue;
      if (count++ > 0) out.push_back(',');
      canonical::AppendJsonString(out, v);
    }
    out.push_back(']');
    return true;
  }
  const auto item_fn = [&](const Ctx& item) {
    if (!r.fields.empty()) {
      const size_t mark = out.size();
      if (count > 0) out.push_back(',');
      const size_t body = out.size();
      const Ctx in = Enter(n, item);
      const bool ok = WriteObject(n, in, out);
      Leave(n);
      if (!ok) {
        gave_up_ = true;
      } else if (out.size() - body == 2) {
        out.resize(mark);  // an item with nothing in it is left out
      } else {
        ++count;
      }
      return;
    }
    std::string_view v;
    const Got g = Value(r.parts[0], item, &v, 0);
    if (g == Got::kGiveUp) {
      gave_up_ = true;
      return;
    }
    if (g == Got::kAbsent) return;
    if (count++ > 0) out.push_back(',');
    if (r.parts[0].type == ValueType::kInteger || r.parts[0].type == ValueType::kBoolean) {
      out.append(v);
    } else {
      canonical::AppendJsonString(out, v);
    }
  };
  if (r.each_alternatives.empty()) {
    Each(r.each, ctx, item_fn);
  } else {
    for (int alt : r.each_alternatives) {
      if (Each(alt, ctx, item_fn) > 0 || gave_up_) break;
    }
  }
  if (gave_up_) return false;
  out.push_back(']');
  return true;
}

}  // namespace gateway::mapping
