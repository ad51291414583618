// The rule evaluator shared by the X12, XML and JSON (outbound) mappers: it walks a compiled
// Rule tree over a source and writes canonical JSON (inbound) or element values (outbound).
// A Source provides, for its context type Ctx:
//   bool Scalar(int source, const Ctx&, std::string* out)   the first value, false if absent
//   template <class F> size_t Each(int source, const Ctx&, F f) f(const Ctx& item) per match
//   int Index(const Ctx&)                                    1-based index in the innermost each
//   std::string Describe(int source, const Ctx&)             where, for messages
//   bool View(int source, const Ctx&, std::string_view* out) optional: Scalar without a copy,
//                                                            for Rule::direct values
// Errors are collected (every problem of a message is reported, not only the first) with the
// mapping file and line, the output field and the source position.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/canonical/json_text.h"
#include "gateway/mapping/decimal.h"
#include "gateway/mapping/mapping.h"
#include "gateway/mapping/transforms.h"

namespace gateway::mapping {

template <class Src>
class Evaluator {
 public:
  using Ctx = typename Src::Ctx;

  Evaluator(const Mapping& m, Src& src, std::vector<std::string>* errors, std::string* explain)
      : m_(m), src_(src), errors_(errors), explain_(explain) {
    key_parts_.resize(m.key_fields.size());
    path_.resize(32);
  }

  // Clears the idempotency key parts before the next message.
  void Reset() {
    for (std::string& k : key_parts_) k.clear();
    path_size_ = 0;
    depth_ = 0;
  }

  const std::vector<std::string>& key_parts() const { return key_parts_; }

  // The idempotency key parts that Object(data, ctx) will produce, evaluated ahead of it and
  // quietly (no errors, no explanation): writers that put the envelope carrying the key before
  // the data need the key first. `data` is the mapping's data rule; key fields are its
  // top-level value fields, so their values do not depend on the rest of the data.
  void PeekKeyParts(const Rule& data, const Ctx& ctx, std::vector<std::string>* parts) {
    parts->resize(key_parts_.size());
    for (std::string& p : *parts) p.clear();
    std::vector<std::string>* const errors = errors_;
    std::string* const explain = explain_;
    peek_errors_.clear();
    errors_ = &peek_errors_;
    explain_ = nullptr;
    for (const Rule& f : data.fields) {
      if (f.key_slot < 0 || f.kind != Rule::Kind::kValue) continue;
      std::string& v = (*parts)[static_cast<size_t>(f.key_slot)];
      if (!Value(f, ctx, &v)) v.clear();
    }
    errors_ = errors;
    explain_ = explain;
  }

  // Appends the JSON object of `r` (an object rule).
  void Object(const Rule& r, const Ctx& ctx, std::string& out, std::string_view name) {
    canonical::JsonBuffer buf(out);
    Object(r, ctx, buf, name);
  }
  void Object(const Rule& r, const Ctx& ctx, canonical::JsonBuffer& out, std::string_view name) {
    Push(name, -1);
    WriteObject(r, ctx, out);
    Pop();
  }

  // Evaluates a value rule; true with *out set when it yields a value.
  bool Value(const Rule& r, const Ctx& ctx, std::string* out) {
    if (r.when && !Test(*r.when, ctx)) return false;
    const size_t errors_before = errors_->size();
    bool present = Raw(r, ctx, out);
    if (present && r.trim && !out->empty() && (IsBlank(out->front()) || IsBlank(out->back()))) TrimSpaces(*out);
    if (present && out->empty()) present = false;
    if (present && r.upper) ToUpper(*out);
    if (present && (r.has_map || r.table >= 0)) present = Lookup(r, ctx, out);
    if (present && r.type != ValueType::kString) {  // strings need no conversion
      std::string why;
      if (!ConvertValue(r.type, r.implied_decimals, m_.outbound, *out, &why)) {
        Fail(r, ctx, why);
        present = false;
      }
    }
    if (!present && r.default_value) {
      *out = *r.default_value;
      present = true;
    }
    // A value that was there but could not be used has been reported already.
    if (!present && r.required && errors_->size() == errors_before) Fail(r, ctx, "required value missing");
    return present;
  }

  bool Test(const Condition& c, const Ctx& ctx) {
    std::string v;
    const bool present = src_.Scalar(c.source, ctx, &v) && !v.empty();
    switch (c.op) {
      case Condition::Op::kExists: return present;
      case Condition::Op::kMissing: return !present;
      case Condition::Op::kEq:
      case Condition::Op::kIn:
        return present && std::find(c.values.begin(), c.values.end(), v) != c.values.end();
      case Condition::Op::kNe:
      case Condition::Op::kNotIn:
        return !present || std::find(c.values.begin(), c.values.end(), v) == c.values.end();
    }
    return false;
  }

  // "data.lines[1].sku" for messages.
  std::string FieldPath() const {
    std::string p;
    for (size_t i = 0; i < path_size_; ++i) {
      const auto& [name, index] = path_[i];
      if (index >= 0) {
        p += "[" + std::to_string(index) + "]";
      } else {
        if (!p.empty() && !name.empty()) p += '.';
        p += name;
      }
    }
    return p;
  }

  void Fail(const Rule& r, const Ctx& ctx, const std::string& what) {
    std::string msg = Where(m_, r.line) + ": " + FieldPath() + ": " + what;
    if (r.source >= 0) {
      msg += " (" + src_.Describe(r.source, ctx) + ")";
    } else {
      msg += " (" + src_.Describe(-1, ctx) + ")";
    }
    errors_->push_back(std::move(msg));
  }

  // The field path is a stack of (name, index) kept in a buffer that only grows.
  void Push(std::string_view name, int index) {
    if (path_size_ == path_.size()) path_.resize(path_.size() * 2);
    path_[path_size_++] = {name, index};
  }
  void Pop() { --path_size_; }

 private:
  bool Raw(const Rule& r, const Ctx& ctx, std::string* out) {
    switch (r.combine) {
      case Rule::Combine::kNone:
        if (r.constant) {
          *out = *r.constant;
          return true;
        }
        if (r.source >= 0) return src_.Scalar(r.source, ctx, out);
        return false;
      case Rule::Combine::kConcat: {
        out->clear();
        bool any = false;
        std::string part;
        for (const Rule& p : r.parts) {
          if (!Value(p, ctx, &part)) continue;
          if (any) *out += r.separator;
          *out += part;
          any = true;
        }
        return any;
      }
      case Rule::Combine::kFirst:
        for (const Rule& p : r.parts) {
          if (Value(p, ctx, out)) return true;
        }
        return false;
      case Rule::Combine::kDifference: {
        std::string a, b;
        if (!Value(r.parts[0], ctx, &a) || !Value(r.parts[1], ctx, &b)) return false;
        auto d = DecimalSubtract(a, b);
        if (!d) {
          Fail(r, ctx, "difference of '" + a + "' and '" + b + "': not numbers");
          return false;
        }
        *out = std::move(*d);
        return true;
      }
      case Rule::Combine::kSum: {
        std::string total = "0", v;
        bool ok = true;
        src_.Each(r.sum_each, ctx, [&](const Ctx& item) {
          if (!Value(r.parts[0], item, &v)) return;
          auto s = DecimalAdd(total, v);
          if (!s) {
            ok = false;
            return;
          }
          total = std::move(*s);
        });
        if (!ok) {
          Fail(r, ctx, "sum over values that are not numbers");
          return false;
        }
        *out = std::move(total);
        return true;
      }
      case Rule::Combine::kIndex:
        *out = std::to_string(src_.Index(ctx));
        return true;
    }
    return false;
  }

  bool Lookup(const Rule& r, const Ctx& ctx, std::string* v) {
    const std::string* hit = nullptr;
    if (r.has_map) {
      for (const auto& [k, mapped] : r.map) {
        if (k == *v) hit = &mapped;
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
      case Rule::OnMissing::kOmit: return false;
      case Rule::OnMissing::kError: break;
    }
    const std::string table_name =
        r.has_map ? std::string("the rule's map")
                  : "code table '" + m_.tables[static_cast<size_t>(r.table)].name + "' of " + m_.profile_file;
    Fail(r, ctx, "code '" + *v + "' is not in " + table_name);
    return false;
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

  void Explain(const Rule& r, const Ctx& ctx, const std::string& value) {
    *explain_ += "  " + FieldPath() + " = " + value + "  <- " + Where(m_, r.line) + " " + src_.Describe(r.source, ctx) + "\n";
  }

  // A Rule::direct value, written from the source's bytes. kGeneral: left to the general
  // path (explain, or an absent value with a default or required).
  enum class Direct { kWrote, kAbsent, kGeneral };
  Direct WriteDirect(const Rule& r, const Ctx& ctx, canonical::JsonBuffer& out) {
    if constexpr (requires(std::string_view* v) { src_.View(0, ctx, v); }) {
      if (!r.direct || explain_ != nullptr) return Direct::kGeneral;
      std::string_view v;
      if (src_.View(r.source, ctx, &v) && r.trim) v = TrimmedView(v);
      if (v.empty()) return r.default_value || r.required ? Direct::kGeneral : Direct::kAbsent;
      Key(out, r);
      canonical::AppendJsonString(out, v);
      if (r.key_slot >= 0) key_parts_[static_cast<size_t>(r.key_slot)].assign(v.data(), v.size());
      return Direct::kWrote;
    } else {
      return Direct::kGeneral;
    }
  }

  // Writes `"name":value` after a comma when needed; returns true when something was written.
  bool WriteField(const Rule& r, const Ctx& ctx, canonical::JsonBuffer& out, bool first) {
    const size_t mark = out.size();
    if (!first) out.push_back(',');
    Push(r.name, -1);
    bool wrote = false;
    switch (r.kind) {
      case Rule::Kind::kValue: {
        if (const Direct d = WriteDirect(r, ctx, out); d != Direct::kGeneral) {
          wrote = d == Direct::kWrote;
          break;
        }
        if (values_.size() <= depth_) values_.resize(depth_ + 1);
        std::string& v = values_[depth_];
        if (Value(r, ctx, &v)) {
          Key(out, r);
          if (r.type == ValueType::kInteger || r.type == ValueType::kBoolean) {
            out += v;
          } else {
            canonical::AppendJsonString(out, v);
          }
          if (r.key_slot >= 0) key_parts_[static_cast<size_t>(r.key_slot)] = v;
          if (explain_ != nullptr) Explain(r, ctx, v);
          wrote = true;
        }
        break;
      }
      case Rule::Kind::kObject: {
        if (r.when && !Test(*r.when, ctx)) break;
        Key(out, r);
        const size_t body = out.size();
        WriteObject(r, ctx, out);
        if (out.size() - body == 2) {  // "{}": nothing inside
          if (r.required) Fail(r, ctx, "required object has no fields");
          break;
        }
        wrote = true;
        break;
      }
      case Rule::Kind::kArray:
      case Rule::Kind::kCollect: {
        if (r.when && !Test(*r.when, ctx)) break;
        Key(out, r);
        const size_t body = out.size();
        WriteArray(r, ctx, out);
        if (out.size() - body == 2) {
          if (r.required) Fail(r, ctx, "required list is empty");
          if (r.kind == Rule::Kind::kCollect) break;  // no values: the field is left out
        }
        wrote = true;
        break;
      }
    }
    Pop();
    if (!wrote) out.resize(mark);
    return wrote;
  }

  void WriteObject(const Rule& r, const Ctx& ctx, canonical::JsonBuffer& out) {
    ++depth_;
    out.push_back('{');
    bool first = true;
    for (const Rule& f : r.fields) {
      if (WriteField(f, ctx, out, first)) first = false;
    }
    out.push_back('}');
    --depth_;
  }

  void WriteArray(const Rule& r, const Ctx& ctx, canonical::JsonBuffer& out) {
    out.push_back('[');
    int n = 0;
    std::string v;
    if (r.kind == Rule::Kind::kCollect) {
      for (const Rule& p : r.parts) {
        Push("", n);
        if (Value(p, ctx, &v)) {
          if (n++ > 0) out.push_back(',');
          canonical::AppendJsonString(out, v);
        }
        Pop();
      }
    } else {
      auto item_fn = [&](const Ctx& item) {
        Push("", n);
        if (!r.fields.empty()) {
          const size_t mark = out.size();
          if (n > 0) out.push_back(',');
          const size_t body = out.size();
          WriteObject(r, item, out);
          if (out.size() - body == 2) {
            out.resize(mark);  // an item with nothing in it is left out
          } else {
            ++n;
          }
        } else if (Value(r.parts[0], item, &v)) {
          if (n > 0) out.push_back(',');
          if (r.parts[0].type == ValueType::kInteger || r.parts[0].type == ValueType::kBoolean) {
            out += v;
          } else {
            canonical::AppendJsonString(out, v);
          }
          ++n;
        }
        Pop();
      };
      if (r.each_alternatives.empty()) {
        src_.Each(r.each, ctx, item_fn);
      } else {
        for (int alt : r.each_alternatives) {
          if (src_.Each(alt, ctx, item_fn) > 0) break;
        }
      }
    }
    out.push_back(']');
  }

  const Mapping& m_;
  Src& src_;
  std::vector<std::string>* errors_;
  std::string* explain_;
  std::vector<std::pair<std::string_view, int>> path_;
  size_t path_size_ = 0;
  std::vector<std::string> key_parts_;
  std::vector<std::string> peek_errors_;  // PeekKeyParts' errors, dropped
  std::vector<std::string> values_;  // one value buffer per object depth, reused
  size_t depth_ = 0;
};

}  // namespace gateway::mapping
