// Loading mappings/*.yaml into a compiled Mapping (mapping.h). The language is documented in
// docs/mapping-guide.md; keep the two in step.
#include <cctype>
#include <filesystem>
#include <set>

#include <pugixml.hpp>
#include <yaml-cpp/yaml.h>

#include "gateway/mapping/mapping.h"
#include "gateway/partners/yaml_util.h"

namespace gateway::mapping {

Mapping::Mapping() = default;
Mapping::~Mapping() = default;
Mapping::Mapping(Mapping&&) noexcept = default;
Mapping& Mapping::operator=(Mapping&&) noexcept = default;

std::string Where(const Mapping& m, int line) { return m.file + ":" + std::to_string(line); }

namespace {

using yamlutil::CheckKeys;
using yamlutil::Line;

const std::set<std::string> kRuleKeys = {
    "path", "xpath", "field", "value", "concat", "separator", "first", "difference", "sum", "index",
    "type", "decimals", "trim", "upper", "text", "map", "lookup", "reverse", "on_missing", "default",
    "required", "when", "each", "fields", "item", "collect"};

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// Value rules that copy one element as it is (Rule::direct), below `r`.
void MarkDirect(Rule& r) {
  r.direct = r.kind == Rule::Kind::kValue && r.combine == Rule::Combine::kNone && r.source >= 0 && !r.constant &&
             !r.when && !r.has_map && r.table < 0 && !r.upper && r.type == ValueType::kString;
  for (Rule& f : r.fields) MarkDirect(f);
  for (Rule& p : r.parts) MarkDirect(p);
}

class Loader {
 public:
  Loader(const std::string& file, const partners::PartnerProfile& profile) : file_(file), profile_(profile) {}

  Result<std::shared_ptr<const Mapping>> Load(const YAML::Node& root) {
    auto m = std::make_shared<Mapping>();
    m_ = m.get();
    m_->file = file_;
    m_->profile_file = profile_.file;
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, root, "",
                                      {"mapping", "description", "format", "direction", "transaction_set", "document",
                                       "documents", "type", "idempotency_key", "functional_id", "data", "segments"}));
    std::string format = "x12", direction = "inbound";
    GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(file_, root, "", "mapping", true, &m_->name));
    GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(file_, root, "", "description", false, &m_->description));
    GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(file_, root, "", "format", false, &format));
    GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(file_, root, "", "direction", false, &direction));
    GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(file_, root, "", "type", true, &m_->type));
    if (direction != "inbound" && direction != "outbound") {
      return Err(root["direction"], "direction", "must be inbound or outbound");
    }
    m_->outbound = direction == "outbound";
    if (format == "x12") {
      m_->format = m_->outbound ? Format::kJson : Format::kX12;
      GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(file_, root, "", "transaction_set", true, &m_->transaction_set));
    } else if (format == "xml") {
      if (m_->outbound) return Err(root["format"], "format", "outbound XML mappings are not supported");
      m_->format = Format::kXml;
      GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(file_, root, "", "document", true, &m_->transaction_set));
      std::string docs;
      GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(file_, root, "", "documents", true, &docs));
      auto d = AddSource(docs, Line(root["documents"]), Format::kXml);
      if (!d.ok()) return d.status();
      m_->documents = *d;
    } else {
      return Err(root["format"], "format", "must be x12 or xml");
    }
    m_->key_type = m_->transaction_set;
    if (m_->outbound) {
      GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(file_, root, "", "functional_id", true, &m_->functional_id));
      if (!root["segments"].IsSequence()) return Err(root["segments"].IsDefined() ? root["segments"] : root, "segments", "must be a list of segment templates");
      GATEWAY_RETURN_IF_ERROR(Segments(root["segments"], "segments", &m_->segments));
      return std::shared_ptr<const Mapping>(m);
    }
    const YAML::Node data = root["data"];
    if (!data.IsMap()) return Err(data.IsDefined() ? data : root, "data", "must map canonical field names to rules");
    m_->data.kind = Rule::Kind::kObject;
    m_->data.line = Line(data);
    GATEWAY_RETURN_IF_ERROR(Fields(data, "data", &m_->data.fields));
    if (const YAML::Node k = root["idempotency_key"]; k.IsDefined()) {
      YAML::Node fields = k;
      if (k.IsMap()) {
        GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, k, "idempotency_key", {"type", "fields"}));
        GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(file_, k, "idempotency_key", "type", false, &m_->key_type));
        fields = k["fields"];
      }
      if (!fields.IsSequence()) return Err(k, "idempotency_key", "must list the data fields that form the business key");
      for (const auto& f : fields) {
        const std::string name = f.as<std::string>();
        bool found = false;
        for (Rule& r : m_->data.fields) {
          if (r.name == name && r.kind == Rule::Kind::kValue) {
            r.key_slot = static_cast<int>(m_->key_fields.size());
            found = true;
          }
        }
        if (!found) return Err(f, "idempotency_key", "'" + name + "' is not a top-level value field of data");
        m_->key_fields.push_back(name);
      }
    }
    MarkDirect(m_->data);
    return std::shared_ptr<const Mapping>(m);
  }

 private:
  Status Err(const YAML::Node& at, const std::string& key, const std::string& msg) {
    return yamlutil::Error(file_, at, key, msg);
  }

  Result<int> AddSource(const std::string& text, int line, Format format) {
    const int index = static_cast<int>(m_->source_texts.size());
    switch (format) {
      case Format::kX12: {
        auto p = ParseX12Path(text);
        if (!p.ok()) return Status(Code::kInvalidArgument, Where(*m_, line) + ": " + p.status().message());
        p->slot = static_cast<int>(m_->x12_paths.size());
        m_->x12_paths.push_back(std::move(*p));
        break;
      }
      case Format::kXml: {
        try {
          m_->xpaths.push_back(std::make_unique<pugi::xpath_query>(text.c_str()));
        } catch (const std::exception& e) {
          return Status(Code::kInvalidArgument, Where(*m_, line) + ": XPath '" + text + "': " + e.what());
        }
        break;
      }
      case Format::kJson: {
        auto p = ParseJsonPath(text);
        if (!p.ok()) return Status(Code::kInvalidArgument, Where(*m_, line) + ": " + p.status().message());
        m_->json_paths.push_back(std::move(*p));
        break;
      }
    }
    m_->source_texts.push_back(text);
    m_->source_lines.push_back(line);
    return index;
  }

  static Result<Mapping::JsonPath> ParseJsonPath(const std::string& text) {
    Mapping::JsonPath p;
    std::string_view t = text;
    if (t.substr(0, 2) == "$.") {
      p.absolute = true;
      t.remove_prefix(2);
    } else if (t == "$") {
      p.absolute = true;
      return p;
    }
    size_t i = 0;
    while (i < t.size()) {
      size_t s = i;
      while (i < t.size() && t[i] != '.' && t[i] != '[') ++i;
      if (i > s) p.steps.emplace_back(std::string(t.substr(s, i - s)), -1);
      while (i < t.size() && t[i] == '[') {
        size_t close = t.find(']', i);
        if (close == std::string_view::npos) return Status(Code::kInvalidArgument, "field '" + text + "': missing ']'");
        const std::string num(t.substr(i + 1, close - i - 1));
        if (num.empty() || num.find_first_not_of("0123456789") != std::string::npos) {
          return Status(Code::kInvalidArgument, "field '" + text + "': an index is a number, as in lines[0]");
        }
        p.steps.emplace_back("", std::stoi(num));
        i = close + 1;
      }
      if (i < t.size()) {
        if (t[i] != '.') return Status(Code::kInvalidArgument, "field '" + text + "': unexpected '" + std::string(1, t[i]) + "'");
        ++i;
      }
    }
    if (p.steps.empty()) return Status(Code::kInvalidArgument, "field '" + text + "' is empty");
    return p;
  }

  Format SourceFormat() const { return m_->format; }

  Result<Condition> ParseCondition(const YAML::Node& n, const std::string& key) {
    Condition c;
    if (!n.IsScalar()) return Err(n, key, "a condition is text such as \"W12-01 == IS\"");
    c.text = n.Scalar();
    std::string t = Trim(c.text);
    std::string path;
    auto split_values = [&](std::string v) {
      v = Trim(v);
      if (!v.empty() && (v.front() == '[' || v.front() == '(')) v = v.substr(1, v.size() >= 2 ? v.size() - 2 : 0);
      std::string cur;
      for (char ch : v + ",") {
        if (ch == ',' || ch == '|') {
          std::string x = Trim(cur);
          if (x.size() >= 2 && (x.front() == '"' || x.front() == '\'') && x.back() == x.front()) x = x.substr(1, x.size() - 2);
          c.values.push_back(x);
          cur.clear();
        } else {
          cur += ch;
        }
      }
    };
    size_t pos;
    if (!t.empty() && t[0] == '!') {
      c.op = Condition::Op::kMissing;
      path = Trim(t.substr(1));
    } else if ((pos = t.find(" not in ")) != std::string::npos) {
      c.op = Condition::Op::kNotIn;
      path = Trim(t.substr(0, pos));
      split_values(t.substr(pos + 8));
    } else if ((pos = t.find(" in ")) != std::string::npos) {
      c.op = Condition::Op::kIn;
      path = Trim(t.substr(0, pos));
      split_values(t.substr(pos + 4));
    } else if ((pos = t.find("==")) != std::string::npos) {
      c.op = Condition::Op::kEq;
      path = Trim(t.substr(0, pos));
      split_values(t.substr(pos + 2));
    } else if ((pos = t.find("!=")) != std::string::npos) {
      c.op = Condition::Op::kNe;
      path = Trim(t.substr(0, pos));
      split_values(t.substr(pos + 2));
    } else {
      path = t;
    }
    if (path.empty()) return Err(n, key, "the condition names no path");
    auto s = AddSource(path, Line(n), SourceFormat());
    if (!s.ok()) return s.status();
    c.source = *s;
    return c;
  }

  // "{order_id}", "SO-{order_id}", "{#}" (1-based index of the innermost `each`), or a constant.
  Result<Rule> TemplateString(const std::string& text, int line) {
    Rule r;
    r.line = line;
    std::vector<Rule> parts;
    size_t i = 0;
    while (i < text.size()) {
      size_t open = text.find('{', i);
      if (open == std::string::npos) {
        Rule c;
        c.line = line;
        c.constant = text.substr(i);
        parts.push_back(std::move(c));
        break;
      }
      if (open > i) {
        Rule c;
        c.line = line;
        c.constant = text.substr(i, open - i);
        parts.push_back(std::move(c));
      }
      size_t close = text.find('}', open);
      if (close == std::string::npos) return Status(Code::kInvalidArgument, Where(*m_, line) + ": '" + text + "': missing '}'");
      const std::string inner = Trim(text.substr(open + 1, close - open - 1));
      Rule v;
      v.line = line;
      if (inner == "#") {
        v.combine = Rule::Combine::kIndex;
      } else {
        auto s = AddSource(inner, line, SourceFormat());
        if (!s.ok()) return s.status();
        v.source = *s;
      }
      parts.push_back(std::move(v));
      i = close + 1;
    }
    if (parts.empty()) {
      r.constant = "";
      return r;
    }
    if (parts.size() == 1) {
      parts[0].line = line;
      return std::move(parts[0]);
    }
    r.combine = Rule::Combine::kConcat;
    r.trim = false;
    r.parts = std::move(parts);
    return r;
  }

  Status RuleList(const YAML::Node& n, const std::string& key, std::vector<Rule>* out) {
    if (!n.IsSequence()) return Err(n, key, "must be a list");
    int i = 0;
    for (const auto& item : n) {
      Rule r;
      GATEWAY_RETURN_IF_ERROR(ParseRule(item, "", key + "[" + std::to_string(i++) + "]", &r));
      out->push_back(std::move(r));
    }
    return Status::Ok();
  }

  Status Fields(const YAML::Node& n, const std::string& key, std::vector<Rule>* out) {
    if (!n.IsMap()) return Err(n, key, "must map field names to rules");
    for (const auto& kv : n) {
      Rule r;
      const std::string name = kv.first.as<std::string>();
      GATEWAY_RETURN_IF_ERROR(ParseRule(kv.second, name, key + "." + name, &r));
      for (const Rule& other : *out) {
        if (other.name == name) return Err(kv.first, key + "." + name, "is defined twice");
      }
      out->push_back(std::move(r));
    }
    return Status::Ok();
  }

  Status Source(const YAML::Node& n, const std::string& key, Rule* r) {
    auto s = AddSource(n.as<std::string>(), Line(n), SourceFormat());
    if (!s.ok()) return s.status();
    r->source = *s;
    (void)key;
    return Status::Ok();
  }

  Status ParseRule(const YAML::Node& n, const std::string& name, const std::string& key, Rule* r) {
    r->name = name;
    if (!name.empty()) r->json_key = "\"" + name + "\":";
    r->line = Line(n);
    if (n.IsScalar()) {
      if (m_->outbound) {
        auto t = TemplateString(n.Scalar(), Line(n));
        if (!t.ok()) return t.status();
        *r = std::move(*t);
        r->name = name;
        return Status::Ok();
      }
      return Source(n, key, r);
    }
    if (n.IsSequence() && m_->outbound) {  // a composite element
      r->kind = Rule::Kind::kCollect;
      return RuleList(n, key, &r->parts);
    }
    if (!n.IsMap()) return Err(n, key, "must be a path or a rule (a mapping)");
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, n, key, kRuleKeys));
    const char* source_key = m_->format == Format::kX12 ? "path" : m_->format == Format::kXml ? "xpath" : "field";
    int sources = 0;
    for (const char* k : {"path", "xpath", "field"}) {
      if (!n[k].IsDefined()) continue;
      if (std::string(k) != source_key) {
        return Err(n[k], key + "." + k, std::string("this ") + (m_->outbound ? "outbound" : m_->format == Format::kXml ? "XML" : "X12") +
                                            " mapping reads its input with '" + source_key + "'");
      }
      GATEWAY_RETURN_IF_ERROR(Source(n[k], key + "." + k, r));
      ++sources;
    }
    if (n["value"].IsDefined()) {
      r->constant = n["value"].as<std::string>();
      ++sources;
    }
    if (n["concat"].IsDefined()) {
      r->combine = Rule::Combine::kConcat;
      GATEWAY_RETURN_IF_ERROR(RuleList(n["concat"], key + ".concat", &r->parts));
      ++sources;
    }
    if (n["separator"].IsDefined()) r->separator = n["separator"].as<std::string>();
    if (n["first"].IsDefined()) {
      r->combine = Rule::Combine::kFirst;
      GATEWAY_RETURN_IF_ERROR(RuleList(n["first"], key + ".first", &r->parts));
      ++sources;
    }
    if (n["difference"].IsDefined()) {
      r->combine = Rule::Combine::kDifference;
      GATEWAY_RETURN_IF_ERROR(RuleList(n["difference"], key + ".difference", &r->parts));
      if (r->parts.size() != 2) return Err(n["difference"], key + ".difference", "takes exactly two rules: [minuend, subtrahend]");
      r->type = ValueType::kDecimal;
      ++sources;
    }
    if (const YAML::Node s = n["sum"]; s.IsDefined()) {
      GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, s, key + ".sum", {"each", "value"}));
      if (!s["each"].IsDefined() || !s["value"].IsDefined()) return Err(s, key + ".sum", "needs each: and value:");
      r->combine = Rule::Combine::kSum;
      auto e = AddSource(s["each"].as<std::string>(), Line(s["each"]), SourceFormat());
      if (!e.ok()) return e.status();
      r->sum_each = *e;
      Rule v;
      GATEWAY_RETURN_IF_ERROR(ParseRule(s["value"], "", key + ".sum.value", &v));
      r->parts.push_back(std::move(v));
      r->type = ValueType::kDecimal;
      ++sources;
    }
    if (n["index"].IsDefined()) {
      r->combine = Rule::Combine::kIndex;
      r->type = ValueType::kInteger;
      ++sources;
    }
    if (n["collect"].IsDefined()) {
      r->kind = Rule::Kind::kCollect;
      GATEWAY_RETURN_IF_ERROR(RuleList(n["collect"], key + ".collect", &r->parts));
      ++sources;
    }
    if (n["each"].IsDefined()) {
      if (n["each"].IsSequence()) {
        for (const auto& alt : n["each"]) {
          auto e = AddSource(alt.as<std::string>(), Line(alt), SourceFormat());
          if (!e.ok()) return e.status();
          r->each_alternatives.push_back(*e);
        }
        if (r->each_alternatives.empty()) return Err(n["each"], key + ".each", "lists no path");
        r->each = r->each_alternatives[0];
      } else {
        auto e = AddSource(n["each"].as<std::string>(), Line(n["each"]), SourceFormat());
        if (!e.ok()) return e.status();
        r->each = *e;
      }
      r->kind = Rule::Kind::kArray;
      if (n["fields"].IsDefined() == n["item"].IsDefined()) {
        return Err(n, key, "each: needs either fields: (an array of objects) or item: (an array of values)");
      }
      if (n["item"].IsDefined()) {
        Rule item;
        GATEWAY_RETURN_IF_ERROR(ParseRule(n["item"], "", key + ".item", &item));
        r->parts.push_back(std::move(item));
      }
      if (sources > 0) return Err(n, key, "each: cannot be combined with a value source");
      ++sources;
    }
    if (n["fields"].IsDefined()) {
      if (r->kind != Rule::Kind::kArray) r->kind = Rule::Kind::kObject;
      GATEWAY_RETURN_IF_ERROR(Fields(n["fields"], key, &r->fields));
      if (r->kind == Rule::Kind::kObject && sources > 0) return Err(n, key, "fields: cannot be combined with a value source");
      ++sources;
    }
    if (sources == 0) {
      if (!n["default"].IsDefined()) {
        return Err(n, key, std::string("needs a value source: ") + source_key + ", value, concat, first, difference, sum, collect, each or fields");
      }
    } else if (sources > 1 && r->kind != Rule::Kind::kArray) {
      return Err(n, key, "has more than one value source");
    }
    if (const YAML::Node t = n["type"]; t.IsDefined()) {
      const std::string v = t.as<std::string>();
      static const std::pair<const char*, ValueType> kTypes[] = {
          {"string", ValueType::kString}, {"decimal", ValueType::kDecimal}, {"integer", ValueType::kInteger},
          {"date", ValueType::kDate},     {"time", ValueType::kTime},       {"datetime", ValueType::kDateTime},
          {"boolean", ValueType::kBoolean}};
      bool ok = false;
      for (const auto& [tn, tv] : kTypes) {
        if (v == tn) {
          r->type = tv;
          ok = true;
        }
      }
      if (!ok) return Err(t, key + ".type", "must be string, decimal, integer, date, time, datetime or boolean");
    }
    if (n["decimals"].IsDefined()) {
      r->implied_decimals = n["decimals"].as<int>();
      if (r->implied_decimals < 0 || r->implied_decimals > 9) return Err(n["decimals"], key + ".decimals", "must be 0-9");
      if (r->type == ValueType::kString) r->type = ValueType::kDecimal;
    }
    if (n["trim"].IsDefined()) r->trim = n["trim"].as<bool>();
    if (n["upper"].IsDefined()) r->upper = n["upper"].as<bool>();
    if (n["text"].IsDefined()) r->text = n["text"].as<bool>();
    if (n["required"].IsDefined()) r->required = n["required"].as<bool>();
    if (n["default"].IsDefined()) r->default_value = n["default"].as<std::string>();
    if (const YAML::Node mp = n["map"]; mp.IsDefined()) {
      if (!mp.IsMap()) return Err(mp, key + ".map", "must map codes to values");
      for (const auto& kv : mp) r->map.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
      r->has_map = true;
    }
    if (const YAML::Node lk = n["lookup"]; lk.IsDefined()) {
      const std::string table = lk.as<std::string>();
      const partners::CodeTable* t = profile_.FindTable(table);
      if (t == nullptr) {
        return Err(lk, key + ".lookup", "code table '" + table + "' is not defined in " + profile_.file + " (code_tables)");
      }
      int idx = -1;
      for (size_t i = 0; i < m_->tables.size(); ++i) {
        if (m_->tables[i].name == table) idx = static_cast<int>(i);
      }
      if (idx < 0) {
        idx = static_cast<int>(m_->tables.size());
        m_->tables.push_back(*t);
      }
      r->table = idx;
    }
    if (n["reverse"].IsDefined()) r->reverse_lookup = n["reverse"].as<bool>();
    if (const YAML::Node om = n["on_missing"]; om.IsDefined()) {
      const std::string v = om.as<std::string>();
      if (v == "error") {
        r->on_missing = Rule::OnMissing::kError;
      } else if (v == "keep") {
        r->on_missing = Rule::OnMissing::kKeep;
      } else if (v == "omit") {
        r->on_missing = Rule::OnMissing::kOmit;
      } else {
        return Err(om, key + ".on_missing", "must be error, keep or omit");
      }
    }
    if (n["when"].IsDefined()) {
      auto c = ParseCondition(n["when"], key + ".when");
      if (!c.ok()) return c.status();
      r->when = std::move(*c);
    }
    return Status::Ok();
  }

  Status Segments(const YAML::Node& n, const std::string& key, std::vector<SegmentTemplate>* out) {
    int i = 0;
    for (const auto& item : n) {
      const std::string k = key + "[" + std::to_string(i++) + "]";
      SegmentTemplate t;
      t.line = Line(item);
      if (!item.IsMap()) return Err(item, k, "a segment template is a mapping (TAG: [elements] or segment:/each:)");
      YAML::Node elements;
      if (item["each"].IsDefined()) {
        GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, item, k, {"each", "segments", "when"}));
        auto e = AddSource(item["each"].as<std::string>(), Line(item["each"]), Format::kJson);
        if (!e.ok()) return e.status();
        t.each = *e;
        if (!item["segments"].IsSequence()) return Err(item, k + ".segments", "an each: loop needs a list of segments");
        GATEWAY_RETURN_IF_ERROR(Segments(item["segments"], k + ".segments", &t.children));
      } else if (item["segment"].IsDefined()) {
        GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, item, k, {"segment", "elements", "when"}));
        t.tag = item["segment"].as<std::string>();
        elements = item["elements"];
      } else if (item.size() == 1) {
        t.tag = item.begin()->first.as<std::string>();
        elements = item.begin()->second;
      } else {
        return Err(item, k, "expected TAG: [elements], or segment: with elements:, or each: with segments:");
      }
      if (t.each < 0) {
        if (t.tag.empty() || t.tag.size() > 3 ||
            !std::all_of(t.tag.begin(), t.tag.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); })) {
          return Err(item, k, "'" + t.tag + "' is not a segment tag");
        }
        if (!elements.IsSequence()) return Err(item, k + ".elements", "must be a list of elements");
        GATEWAY_RETURN_IF_ERROR(RuleList(elements, k + "." + t.tag, &t.elements));
      }
      if (item["when"].IsDefined()) {
        auto c = ParseCondition(item["when"], k + ".when");
        if (!c.ok()) return c.status();
        t.when = std::move(*c);
      }
      out->push_back(std::move(t));
    }
    return Status::Ok();
  }

  std::string file_;
  const partners::PartnerProfile& profile_;
  Mapping* m_ = nullptr;
};

}  // namespace

Result<std::shared_ptr<const Mapping>> LoadMapping(const std::string& path, const partners::PartnerProfile& profile) {
  if (!std::filesystem::exists(path)) return Status(Code::kNotFound, path + ": no such mapping file");
  try {
    const YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap()) return yamlutil::Error(path, root, "", "a mapping is a YAML mapping");
    return Loader(path, profile).Load(root);
  } catch (const YAML::Exception& e) {
    return Status(Code::kInvalidArgument, path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

}  // namespace gateway::mapping
