#include "gateway/mapping/outbound.h"

#include "edi/byte_source.h"
#include "edi/validator.h"
#include "edi/writer.h"
#include "gateway/canonical/json_schema.h"
#include "gateway/mapping/evaluator.h"
#include "gateway/mapping/x12_charset.h"
#include "spool/idempotency_key.h"

namespace gateway::mapping {

namespace {

using json = nlohmann::json;

// The Source of the evaluator over the order's JSON. A relative field is looked up in the
// current item of each `each:`, then in the enclosing ones, then at the top of the order.
class JsonSource {
 public:
  struct Ctx {
    const json* node = nullptr;
    std::string path = "$";
    int index = 0;
    const Ctx* outer = nullptr;
  };

  explicit JsonSource(const Mapping& m) : m_(m) {}

  const json* Resolve(int source, const Ctx& ctx, std::string* where = nullptr) const {
    const Mapping::JsonPath& p = m_.json_paths[static_cast<size_t>(source)];
    const Ctx* c = &ctx;
    if (p.absolute) {
      while (c->outer != nullptr) c = c->outer;
    }
    for (; c != nullptr; c = c->outer) {
      const json* n = c->node;
      std::string w = c->path;
      for (const auto& [key, index] : p.steps) {
        if (n == nullptr) break;
        if (index >= 0) {
          n = n->is_array() && static_cast<size_t>(index) < n->size() ? &(*n)[static_cast<size_t>(index)] : nullptr;
          w += "[" + std::to_string(index) + "]";
        } else {
          auto it = n->is_object() ? n->find(key) : n->end();
          n = n->is_object() && it != n->end() ? &*it : nullptr;
          w += "." + key;
        }
      }
      if (n != nullptr && !n->is_null()) {
        if (where != nullptr) *where = w;
        return n;
      }
      if (p.absolute) break;
    }
    return nullptr;
  }

  bool Scalar(int source, const Ctx& ctx, std::string* out) {
    const json* n = Resolve(source, ctx);
    if (n == nullptr) return false;
    if (n->is_string()) {
      *out = n->get<std::string>();
    } else if (n->is_number_integer() || n->is_boolean()) {
      *out = n->dump();
    } else {
      return false;  // objects and arrays are not values
    }
    return true;
  }

  template <class F>
  size_t Each(int source, const Ctx& ctx, F&& f) {
    std::string where;
    const json* n = Resolve(source, ctx, &where);
    if (n == nullptr || !n->is_array()) return 0;
    for (size_t i = 0; i < n->size(); ++i) {
      Ctx item;
      item.node = &(*n)[i];
      item.path = where + "[" + std::to_string(i) + "]";
      item.index = static_cast<int>(i) + 1;
      item.outer = &ctx;
      f(item);
    }
    return n->size();
  }

  int Index(const Ctx& ctx) const { return ctx.index; }

  std::string Describe(int source, const Ctx& ctx) const {
    if (source < 0) return ctx.path;
    const Mapping::JsonPath& p = m_.json_paths[static_cast<size_t>(source)];
    std::string w = p.absolute ? "$" : ctx.path;
    for (const auto& [key, index] : p.steps) w += index >= 0 ? "[" + std::to_string(index) + "]" : "." + key;
    return w;
  }

 private:
  const Mapping& m_;
};

class Renderer {
 public:
  Renderer(const Mapping& m, JsonSource& src, Evaluator<JsonSource>& ev, edi::SegmentWriter& w, X12Charset& charset)
      : m_(m), ev_(ev), src_(src), w_(w), charset_(charset) {}

  void Render(const std::vector<SegmentTemplate>& templates, const JsonSource::Ctx& ctx) {
    for (const SegmentTemplate& t : templates) {
      if (t.when && !ev_.Test(*t.when, ctx)) continue;
      if (t.each >= 0) {
        ev_.Push(m_.source_texts[static_cast<size_t>(t.each)], -1);
        src_.Each(t.each, ctx, [&](const JsonSource::Ctx& item) { Render(t.children, item); });
        ev_.Pop();
        continue;
      }
      ev_.Push(t.tag, -1);
      std::vector<std::string> values;
      bool any = false;
      for (size_t i = 0; i < t.elements.size(); ++i) {
        const Rule& r = t.elements[i];
        ev_.Push(std::string_view(kPositions[std::min<size_t>(i, 98)]), -1);
        std::string v;
        const std::string element = t.tag + kPositions[std::min<size_t>(i, 98)];
        if (r.kind == Rule::Kind::kCollect) {
          std::vector<std::string> comps;
          for (const Rule& c : r.parts) {
            std::string cv;
            comps.push_back(ev_.Value(c, ctx, &cv) ? cv : "");
            charset_.Fit(&comps.back(), c.text, Where(c, ctx, element));
          }
          while (!comps.empty() && comps.back().empty()) comps.pop_back();
          for (size_t k = 0; k < comps.size(); ++k) {
            if (k > 0) v += w_.delimiters().component;
            v += comps[k];
          }
        } else if (!ev_.Value(r, ctx, &v)) {
          v.clear();
        } else {
          charset_.Fit(&v, r.text, Where(r, ctx, element));
        }
        ev_.Pop();
        any = any || !v.empty();
        values.push_back(std::move(v));
      }
      ev_.Pop();
      if (any) w_.Write(t.tag, values);  // a segment with nothing in it is left out
    }
  }

 private:
  // "$.ship_to.name (N102)", or the element alone for a value built from several fields.
  std::string Where(const Rule& r, const JsonSource::Ctx& ctx, const std::string& element) const {
    return r.source >= 0 ? src_.Describe(r.source, ctx) + " (" + element + ")" : element;
  }

  static constexpr const char* kPositions[] = {
      "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20",
      "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "40",
      "41", "42", "43", "44", "45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60",
      "61", "62", "63", "64", "65", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79", "80",
      "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95", "96", "97", "98", "99"};
  const Mapping& m_;
  Evaluator<JsonSource>& ev_;
  JsonSource& src_;
  edi::SegmentWriter& w_;
  X12Charset& charset_;
};

class CollectSets : public edi::ValidationSink {
 public:
  void OnSetEnd(const edi::SetResult& s) override {
    for (const edi::Error& e : s.errors) {
      if (!e.warning) errors.push_back("set " + s.info.control + ": " + e.Describe());
    }
  }
  void OnGroupEnd(const edi::GroupResult& g) override {
    for (const edi::Error& e : g.errors) {
      if (!e.warning) errors.push_back("group " + g.info.control + ": " + e.Describe());
    }
  }
  void OnInterchangeEnd(const edi::InterchangeResult& ix) override {
    for (const edi::Error& e : ix.errors) {
      if (!e.warning) errors.push_back("interchange: " + e.Describe());
    }
  }
  void OnFileError(const edi::Error& e) override { errors.push_back(e.Describe()); }
  std::vector<std::string> errors;
};

}  // namespace

RenderOutput RenderOrder(const Mapping& m, const partners::PartnerProfile& profile, const json& order,
                         const RenderControl& control) {
  RenderOutput out;
  if (const json* schema = canonical::CanonicalSchema(m.type)) {
    if (!canonical::CheckJsonSchema(*schema, order, &out.errors, "#/$defs/data")) {
      out.order_invalid = true;
      return out;
    }
  }
  std::string order_id;
  if (order.is_object() && order.contains("order_id") && order["order_id"].is_string()) {
    order_id = order["order_id"].get<std::string>();
  }
  out.idempotency_key = spool::MakeIdempotencyKey(profile.id, m.transaction_set, {order_id}, {});

  edi::InterchangeHeader h;
  h.sender_qualifier = profile.ours.qualifier;
  h.sender_id = profile.ours.id;
  h.receiver_qualifier = profile.theirs.qualifier;
  h.receiver_id = profile.theirs.id;
  h.date = control.date.size() == 8 ? control.date.substr(2) : control.date;
  h.time = control.time;
  h.version = profile.isa_version;
  h.control = control.interchange;
  h.ack_requested = profile.ack_requested;
  h.usage = profile.usage;
  edi::InterchangeWriter w(h, profile.delimiters, profile.segment_suffix);
  edi::GroupHeader g;
  g.functional_id = m.functional_id;
  g.sender = profile.ours.gs;
  g.receiver = profile.theirs.gs;
  g.date = control.date;
  g.time = control.time;
  g.control = control.group;
  g.version = profile.x12_version;
  w.BeginGroup(g);
  std::string st02 = std::to_string(control.set);
  if (st02.size() < 4) st02.insert(0, 4 - st02.size(), '0');
  w.BeginSet(m.transaction_set, st02);

  JsonSource src(m);
  std::vector<std::string> errors;
  Evaluator<JsonSource> ev(m, src, &errors, nullptr);
  JsonSource::Ctx root;
  root.node = &order;
  X12Charset charset(profile, profile.delimiters);
  Renderer(m, src, ev, w.body(), charset).Render(m.segments, root);
  errors.insert(errors.end(), charset.errors.begin(), charset.errors.end());
  if (!errors.empty()) {
    out.errors = std::move(errors);
    out.order_invalid = true;
    return out;
  }
  out.warnings = std::move(charset.warnings);
  w.EndSet();
  w.EndGroup();
  auto bytes = w.Finish();
  if (!bytes.ok()) {
    out.errors.push_back(m.file + ": writing the interchange failed: " + bytes.error().Describe());
    out.order_invalid = true;  // a delimiter inside the order's data
    return out;
  }
  edi::MemorySource source(*bytes);
  CollectSets sink;
  const edi::FileSummary summary = edi::Validate(source, sink);
  if (!summary.ok) {
    out.errors.push_back(m.file + ": the rendered " + m.transaction_set + " does not validate:");
    for (std::string& e : sink.errors) out.errors.push_back("  " + std::move(e));
    return out;
  }
  out.x12 = std::move(*bytes);
  return out;
}

}  // namespace gateway::mapping
