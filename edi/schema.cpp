#include "edi/schema.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace edi {

const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedSchemaFiles();

namespace {

std::vector<std::string> Tokenize(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i >= line.size() || line[i] == '#') break;
    if (line[i] == '"') {
      size_t end = line.find('"', i + 1);
      if (end == std::string_view::npos) end = line.size();
      out.emplace_back(line.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      size_t end = i;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r') ++end;
      out.emplace_back(line.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

bool ParseUint(std::string_view s, uint32_t* out) {
  if (s.empty() || s.size() > 9) return false;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  *out = v;
  return true;
}

bool ParseType(std::string_view s, ElementDef* e) {
  if (s == "AN") { e->type = ElementType::kAN; return true; }
  if (s == "ID") { e->type = ElementType::kID; return true; }
  if (s == "DT") { e->type = ElementType::kDT; return true; }
  if (s == "TM") { e->type = ElementType::kTM; return true; }
  if (s == "B") { e->type = ElementType::kB; return true; }
  if (s == "composite") { e->type = ElementType::kComposite; return true; }
  uint32_t n = 0;
  if (s[0] == 'R' && (s.size() == 1 || ParseUint(s.substr(1), &n))) {
    e->type = ElementType::kR;
    return true;
  }
  if (s[0] == 'N' && s.size() > 1 && ParseUint(s.substr(1), &n)) {
    e->type = ElementType::kN;
    e->decimals = static_cast<int>(n);
    return true;
  }
  return false;
}

Error SchemaError(std::string_view file, size_t line, const std::string& message) {
  return FileError("schema " + std::string(file) + ":" + std::to_string(line) + ": " + message);
}

// Fills the fields derived from the parsed structure (tag keys, where mandatory children end).
void Finalize(StructureNode& n) {
  n.key = detail::TagKey(n.tag);
  n.mandatory_end = 0;
  std::vector<uint32_t> keys;
  for (size_t i = 0; i < n.children.size(); ++i) {
    Finalize(n.children[i]);
    if (n.children[i].mandatory) n.mandatory_end = i + 1;
    keys.push_back(n.children[i].key);
  }
  n.child_index.Build(keys);
}

// Fills SegmentDef::compiled from its elements (which no longer move: the pointers stay valid).
void Compile(SegmentDef* seg) {
  seg->compiled.clear();
  for (const ElementDef& e : seg->elements) {
    ElementRule r;
    r.type = e.type;
    r.mandatory = e.mandatory;
    r.has_codes = !e.codes.empty();
    r.length_only = e.type == ElementType::kAN || (e.type == ElementType::kID && !r.has_codes);
    r.min_length = static_cast<uint32_t>(e.min_length);
    r.max_length = static_cast<uint32_t>(e.max_length);
    r.def = &e;
    seg->compiled.push_back(r);
  }
  seg->rule_masks.clear();
  seg->rules_masked = true;
  for (const SyntaxRule& r : seg->rules) {
    if (!r.masked) seg->rules_masked = false;
    seg->rule_masks.push_back({r.mask, uint64_t{1} << (r.positions.front() & 63), r.kind});
  }
}

void CollectTags(const StructureNode& n, std::set<std::string>* tags) {
  if (!n.tag.empty()) tags->insert(n.tag);
  for (const StructureNode& c : n.children) CollectTags(c, tags);
}

}  // namespace

void ChildIndex::Build(const std::vector<uint32_t>& child_keys) {
  slots_.clear();
  positions_.clear();
  if (child_keys.empty()) return;
  std::vector<uint32_t> distinct = child_keys;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  unsigned bits = 2;
  while ((size_t{1} << bits) < 2 * distinct.size()) ++bits;
  slots_.assign(size_t{1} << bits, Slot{});
  mask_ = slots_.size() - 1;
  shift_ = 32 - bits;
  for (uint32_t key : distinct) {
    size_t h = Hash(key);
    while (slots_[h].count != 0) h = (h + 1) & mask_;
    slots_[h].key = key;
    slots_[h].first = static_cast<uint16_t>(positions_.size());
    for (size_t i = 0; i < child_keys.size(); ++i) {
      if (child_keys[i] == key) positions_.push_back(static_cast<uint16_t>(i));
    }
    slots_[h].count = static_cast<uint16_t>(positions_.size() - slots_[h].first);
  }
}

void ElementDef::IndexCodes() {
  size_t short_codes = 0;
  for (const std::string& c : codes) short_codes += c.size() <= 3 ? 1 : 0;
  unsigned bits = 1;
  while ((size_t{1} << bits) < 2 * short_codes) ++bits;
  code_slots.assign(size_t{1} << bits, 0);
  code_shift = 32 - bits;
  for (const std::string& c : codes) {
    if (c.empty() || c.size() > 3) continue;
    const uint32_t key = detail::TagKey(c);
    size_t h = (key * 0x9E3779B1u) >> code_shift;
    while (code_slots[h] != 0 && code_slots[h] != key) h = (h + 1) & (code_slots.size() - 1);
    code_slots[h] = key;
  }
  codes_indexed = true;
}

bool ElementDef::HasCode(std::string_view v) const {
  // A value of 1-3 bytes can only equal a code of 1-3 bytes: one integer probe.
  if (codes_indexed && v.size() <= 3) {
    if (v.empty()) return false;
    const uint32_t key = detail::TagKey(v);
    for (size_t h = (key * 0x9E3779B1u) >> code_shift;; h = (h + 1) & (code_slots.size() - 1)) {
      if (code_slots[h] == key) return true;
      if (code_slots[h] == 0) return false;
    }
  }
  return std::binary_search(codes.begin(), codes.end(), v,
                            [](const auto& a, const auto& b) { return std::string_view(a) < std::string_view(b); });
}

bool SetSchema::UsesTag(std::string_view tag) const {
  return std::binary_search(tags.begin(), tags.end(), tag,
                            [](const auto& a, const auto& b) { return std::string_view(a) < std::string_view(b); });
}

// The non-empty lines of a schema file as tokens, with their line numbers.
class TokenLines {
 public:
  explicit TokenLines(std::string_view text) : rest_(text) {}
  bool Next() {
    while (!rest_.empty()) {
      const size_t nl = rest_.find('\n');
      const std::string_view line = rest_.substr(0, nl);
      rest_ = nl == std::string_view::npos ? std::string_view() : rest_.substr(nl + 1);
      ++line_;
      tokens_ = Tokenize(line);
      if (!tokens_.empty()) return true;
    }
    return false;
  }
  const std::vector<std::string>& tokens() const { return tokens_; }
  size_t line() const { return line_; }

 private:
  std::string_view rest_;
  size_t line_ = 0;
  std::vector<std::string> tokens_;
};

class SchemaParser {
 public:
  explicit SchemaParser(SchemaRegistry* reg) : reg_(reg) {}

  Status ParseDictionary(std::string_view path, std::string_view version, std::string_view text) {
    SchemaRegistry::Version& v = reg_->versions_[std::string(version)];
    std::vector<ElementDef>* target = nullptr;
    std::string owner;
    size_t lineno = 0;
    for (TokenLines lines(text); lines.Next();) {
      const std::vector<std::string>& t = lines.tokens();
      lineno = lines.line();
      if (t[0] == "segment") {
        if (t.size() < 2) return SchemaError(path, lineno, "segment needs a tag");
        auto seg = std::make_unique<SegmentDef>();
        seg->tag = t[1];
        if (t.size() > 2) seg->name = t[2];
        for (size_t i = 3; i < t.size(); ++i) {
          SyntaxRule r;
          r.text = t[i];
          r.kind = t[i][0];
          if (std::string_view("PRCEL").find(r.kind) == std::string_view::npos ||
              (t[i].size() - 1) % 2 != 0 || t[i].size() < 5) {
            return SchemaError(path, lineno, "bad syntax note '" + t[i] + "'");
          }
          for (size_t k = 1; k + 2 <= t[i].size(); k += 2) {
            uint32_t pos = 0;
            if (!ParseUint(std::string_view(t[i]).substr(k, 2), &pos) || pos == 0) {
              return SchemaError(path, lineno, "bad syntax note '" + t[i] + "'");
            }
            r.positions.push_back(static_cast<int>(pos));
          }
          r.masked = true;
          for (int p : r.positions) {
            if (p >= 64 || (r.mask & (uint64_t{1} << p)) != 0) {
              r.masked = false;  // out of range or repeated: the exact checks only
            } else {
              r.mask |= uint64_t{1} << p;
            }
          }
          seg->rules.push_back(std::move(r));
        }
        target = &seg->elements;
        owner = seg->tag;
        v.segments[seg->tag] = std::move(seg);
        continue;
      }
      if (t[0] == "composite") {
        if (t.size() < 2) return SchemaError(path, lineno, "composite needs an id");
        auto comp = std::make_unique<CompositeDef>();
        comp->id = t[1];
        if (t.size() > 2) comp->name = t[2];
        target = &comp->components;
        owner = comp->id;
        v.composites[comp->id] = std::move(comp);
        continue;
      }
      if (target == nullptr) {
        return SchemaError(path, lineno, "element line outside a segment or composite");
      }
      if (t.size() < 5) {
        return SchemaError(path, lineno, "element line needs REF ELEMID REQ TYPE MIN/MAX");
      }
      ElementDef e;
      e.ref = t[0];
      e.id = t[1];
      if (t[2] != "M" && t[2] != "O" && t[2] != "X") {
        return SchemaError(path, lineno, "requirement must be M, O or X, not '" + t[2] + "'");
      }
      e.mandatory = t[2] == "M";
      if (!ParseType(t[3], &e)) return SchemaError(path, lineno, "unknown type '" + t[3] + "'");
      if (e.type != ElementType::kComposite) {
        size_t slash = t[4].find('/');
        uint32_t mn = 0;
        uint32_t mx = 0;
        if (slash == std::string::npos || !ParseUint(std::string_view(t[4]).substr(0, slash), &mn) ||
            !ParseUint(std::string_view(t[4]).substr(slash + 1), &mx) || mn > mx || mx == 0) {
          return SchemaError(path, lineno, "bad MIN/MAX '" + t[4] + "'");
        }
        e.min_length = static_cast<int>(mn);
        e.max_length = static_cast<int>(mx);
      }
      size_t next = 5;
      if (t.size() > next) e.name = t[next++];
      if (t.size() > next) {
        std::string_view codes = t[next];
        while (!codes.empty()) {
          size_t comma = codes.find(',');
          e.codes.emplace_back(codes.substr(0, comma));
          codes = comma == std::string_view::npos ? std::string_view() : codes.substr(comma + 1);
        }
        std::sort(e.codes.begin(), e.codes.end());
      }
      e.IndexCodes();
      target->push_back(std::move(e));
    }
    (void)owner;
    return Status::Ok();
  }

  Status ResolveComposites(std::string_view version) {
    SchemaRegistry::Version& v = reg_->versions_[std::string(version)];
    for (auto& [tag, seg] : v.segments) {
      seg->mandatory_end = 0;
      for (size_t i = 0; i < seg->elements.size(); ++i) {
        if (seg->elements[i].mandatory) seg->mandatory_end = i + 1;
      }
      for (ElementDef& e : seg->elements) {
        if (e.type != ElementType::kComposite) continue;
        auto it = v.composites.find(e.id);
        if (it == v.composites.end()) {
          return FileError("schema " + std::string(version) + "/segments.x12s: " + e.ref +
                           " uses composite " + e.id + ", which is not defined");
        }
        e.composite = it->second.get();
      }
      Compile(seg.get());
      for (const SyntaxRule& r : seg->rules) {
        for (int p : r.positions) {
          if (p > static_cast<int>(seg->elements.size())) {
            return FileError("schema " + std::string(version) + "/segments.x12s: segment " + tag +
                             " syntax note " + r.text + " names element " + std::to_string(p) +
                             ", which does not exist");
          }
        }
      }
    }
    return Status::Ok();
  }

  Status ParseSet(std::string_view path, std::string_view version, std::string_view text) {
    SchemaRegistry::Version& v = reg_->versions_[std::string(version)];
    auto schema = std::make_unique<SetSchema>();
    schema->version = std::string(version);
    schema->root.is_loop = true;
    schema->root.mandatory = true;
    std::vector<StructureNode*> stack{&schema->root};
    size_t lineno = 0;
    for (TokenLines lines(text); lines.Next();) {
      const std::vector<std::string>& t = lines.tokens();
      lineno = lines.line();
      if (t[0] == "set") {
        if (t.size() < 3) return SchemaError(path, lineno, "set needs ID and GS01");
        schema->id = t[1];
        schema->functional_id = t[2];
        if (t.size() > 3) schema->name = t[3];
        continue;
      }
      if (t[0] == "end") {
        if (stack.size() < 2) return SchemaError(path, lineno, "'end' without 'loop'");
        if (stack.back()->children.empty()) return SchemaError(path, lineno, "empty loop");
        stack.pop_back();
        continue;
      }
      StructureNode node;
      size_t base = 1;
      if (t[0] == "loop") {
        if (t.size() < 4) return SchemaError(path, lineno, "loop needs LOOPID REQ MAX");
        node.is_loop = true;
        node.loop_id = t[1];
        base = 2;
      } else if (t.size() < 3) {
        return SchemaError(path, lineno, "segment line needs TAG REQ MAX");
      }
      if (t[base] != "M" && t[base] != "O") {
        return SchemaError(path, lineno, "requirement must be M or O, not '" + t[base] + "'");
      }
      node.mandatory = t[base] == "M";
      if (t[base + 1] == ">1") {
        node.max_use = kUnbounded;
      } else if (!ParseUint(t[base + 1], &node.max_use) || node.max_use == 0) {
        return SchemaError(path, lineno, "bad maximum use '" + t[base + 1] + "'");
      }
      if (!node.is_loop) {
        node.tag = t[0];
        auto it = v.segments.find(node.tag);
        if (it == v.segments.end()) {
          return SchemaError(path, lineno, "segment " + node.tag + " is not in " +
                                               std::string(version) + "/segments.x12s");
        }
        node.segment = it->second.get();
      }
      StructureNode* parent = stack.back();
      if (parent != &schema->root && parent->children.empty() && node.is_loop) {
        return SchemaError(path, lineno, "a loop must start with a segment");
      }
      parent->children.push_back(std::move(node));
      if (parent->children.size() == 1 && parent != &schema->root) {
        parent->tag = parent->children[0].tag;
        parent->segment = parent->children[0].segment;
      }
      if (parent->children.back().is_loop) stack.push_back(&parent->children.back());
    }
    if (stack.size() != 1) return SchemaError(path, lineno, "loop without 'end'");
    if (schema->id.empty()) return SchemaError(path, 1, "missing 'set' line");
    const auto& kids = schema->root.children;
    if (kids.empty() || kids.front().tag != "ST" || kids.back().tag != "SE") {
      return SchemaError(path, lineno, "a set must start with ST and end with SE");
    }
    Finalize(schema->root);
    std::set<std::string> tags;
    CollectTags(schema->root, &tags);
    schema->tags.assign(tags.begin(), tags.end());
    v.sets[schema->id] = std::move(schema);
    return Status::Ok();
  }

 private:
  SchemaRegistry* reg_;
};

Result<std::shared_ptr<const SchemaRegistry>> SchemaRegistry::Load(
    const std::vector<std::pair<std::string_view, std::string_view>>& files) {
  auto reg = std::make_shared<SchemaRegistry>();
  SchemaParser parser(reg.get());
  auto split = [](std::string_view path, std::string_view* version, std::string_view* name) {
    size_t slash = path.rfind('/');
    if (slash == std::string_view::npos) return false;
    std::string_view dir = path.substr(0, slash);
    size_t dslash = dir.rfind('/');
    *version = dslash == std::string_view::npos ? dir : dir.substr(dslash + 1);
    *name = path.substr(slash + 1);
    return name->size() > 5 && name->substr(name->size() - 5) == ".x12s";
  };
  std::set<std::string> versions;
  for (const auto& [path, text] : files) {
    std::string_view version, name;
    if (!split(path, &version, &name)) continue;
    if (name == "segments.x12s") {
      Status st = parser.ParseDictionary(path, version, text);
      if (!st.ok()) return st.error();
      versions.insert(std::string(version));
    }
  }
  for (const std::string& v : versions) {
    Status st = parser.ResolveComposites(v);
    if (!st.ok()) return st.error();
  }
  for (const auto& [path, text] : files) {
    std::string_view version, name;
    if (!split(path, &version, &name) || name == "segments.x12s") continue;
    if (!versions.count(std::string(version))) {
      return FileError("schema " + std::string(path) + ": no segments.x12s for version " +
                       std::string(version));
    }
    Status st = parser.ParseSet(path, version, text);
    if (!st.ok()) return st.error();
  }
  return std::shared_ptr<const SchemaRegistry>(std::move(reg));
}

const SchemaRegistry& SchemaRegistry::Builtin() {
  static const std::shared_ptr<const SchemaRegistry> builtin = [] {
    auto loaded = Load(EmbeddedSchemaFiles());
    if (!loaded.ok()) {
      std::fprintf(stderr, "edigate: embedded X12 schemas are invalid: %s\n",
                   loaded.error().message.c_str());
      std::abort();
    }
    return loaded.value();
  }();
  return *builtin;
}

const SetSchema* SchemaRegistry::FindSet(std::string_view set_id, std::string_view gs08) const {
  auto v = versions_.find(std::string(gs08.substr(0, 6)));
  if (v == versions_.end()) return nullptr;
  auto s = v->second.sets.find(std::string(set_id));
  return s == v->second.sets.end() ? nullptr : s->second.get();
}

const SegmentDef* SchemaRegistry::FindSegment(std::string_view tag, std::string_view gs08) const {
  auto v = versions_.find(std::string(gs08.substr(0, 6)));
  if (v == versions_.end()) return nullptr;
  auto s = v->second.segments.find(std::string(tag));
  return s == v->second.segments.end() ? nullptr : s->second.get();
}

std::string_view SchemaRegistry::FunctionalIdFor(std::string_view set_id) const {
  for (const auto& [name, v] : versions_) {
    auto s = v.sets.find(std::string(set_id));
    if (s != v.sets.end()) return s->second->functional_id;
  }
  return {};
}

bool SchemaRegistry::KnowsSegment(std::string_view tag) const {
  for (const auto& [name, v] : versions_) {
    if (v.segments.count(std::string(tag))) return true;
  }
  return false;
}

std::vector<std::string> SchemaRegistry::SetIds() const {
  std::set<std::string> ids;
  for (const auto& [name, v] : versions_) {
    for (const auto& [id, s] : v.sets) ids.insert(v.sets.at(id)->version + "/" + id);
  }
  return {ids.begin(), ids.end()};
}

}  // namespace edi
