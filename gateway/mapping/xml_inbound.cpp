// XML -> canonical (inbound.h): each node selected by a mapping's `documents` XPath is one
// document and becomes one event; field rules are XPath expressions relative to it.
#include <pugixml.hpp>

#include "gateway/mapping/evaluator.h"
#include "gateway/mapping/inbound.h"
#include "spool/idempotency_key.h"

namespace gateway::mapping {

namespace {

class XmlSource {
 public:
  struct Ctx {
    pugi::xml_node node;
    int index = 0;
  };

  explicit XmlSource(const Mapping& m) : m_(m) {}

  bool Scalar(int source, const Ctx& ctx, std::string* out) {
    const pugi::xpath_query& q = *m_.xpaths[static_cast<size_t>(source)];
    *out = q.evaluate_string(pugi::xpath_node(ctx.node));
    return !out->empty();
  }

  template <class F>
  size_t Each(int source, const Ctx& ctx, F&& f) {
    const pugi::xpath_query& q = *m_.xpaths[static_cast<size_t>(source)];
    if (q.return_type() != pugi::xpath_type_node_set) return 0;
    const pugi::xpath_node_set nodes = q.evaluate_node_set(pugi::xpath_node(ctx.node));
    int i = 0;
    for (const pugi::xpath_node& n : nodes) {
      Ctx item;
      item.node = n.node();
      item.index = ++i;
      if (item.node) f(item);
    }
    return static_cast<size_t>(i);
  }

  int Index(const Ctx& ctx) const { return ctx.index; }

  std::string Describe(int source, const Ctx& ctx) const {
    std::string d;
    if (source >= 0) d = m_.source_texts[static_cast<size_t>(source)] + " from ";
    return d + "element " + ctx.node.path() + " (line " + std::to_string(Line(ctx.node)) + ")";
  }

  // pugixml reports offsets; lines are counted from the document text.
  static void SetText(std::string_view text) { text_ = text; }
  static int Line(const pugi::xml_node& n) {
    const ptrdiff_t off = n.offset_debug();
    if (off < 0 || static_cast<size_t>(off) > text_.size()) return 0;
    int line = 1;
    for (ptrdiff_t i = 0; i < off; ++i) line += text_[static_cast<size_t>(i)] == '\n';
    return line;
  }

 private:
  const Mapping& m_;
  static thread_local std::string_view text_;
};

thread_local std::string_view XmlSource::text_;

}  // namespace

void MapXmlFile(std::string_view bytes, const InboundOptions& options, InboundSink& sink) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_auto);
  if (!parsed) {
    RejectedMessage r;
    r.what = options.source.file + ": not well-formed XML";
    r.errors.push_back("offset " + std::to_string(parsed.offset) + ": " + parsed.description());
    sink.OnRejected(std::move(r));
    return;
  }
  XmlSource::SetText(bytes);
  bool any = false;
  int64_t ordinal = -1;  // documents in the file, across mappings
  for (const auto& [name, mapping] : options.mappings) {
    if (mapping->format != Format::kXml) continue;
    const pugi::xpath_query& docs = *mapping->xpaths[static_cast<size_t>(mapping->documents)];
    const pugi::xpath_node_set nodes = docs.evaluate_node_set(doc);
    int index = 0;
    for (const pugi::xpath_node& n : nodes) {
      if (!n.node()) continue;
      any = true;
      ++index;
      SetOrigin origin;
      origin.index = ++ordinal;
      origin.set_id = name;
      origin.key_type = mapping->key_type;
      const std::string what = options.source.file + " document " + std::to_string(index) + " (" + name + ", element " +
                               n.node().path() + ")";
      std::vector<std::string> errors;
      std::string data, explain;
      XmlSource src(*mapping);
      Evaluator<XmlSource> ev(*mapping, src, &errors, options.explain ? &explain : nullptr);
      XmlSource::Ctx root;
      root.node = n.node();
      root.index = index;
      ev.Object(mapping->data, root, data, "data");
      const std::vector<std::string>& parts = ev.key_parts();
      for (size_t i = 0; i < parts.size(); ++i) {
        if (parts[i].empty()) {
          errors.push_back(Where(*mapping, mapping->data.line) + ": idempotency key field '" + mapping->key_fields[i] + "' is empty");
        }
      }
      if (!errors.empty()) {
        sink.OnRejected(RejectedMessage{what + ": not mapped (" + mapping->file + ")", std::move(errors), std::move(origin)});
        continue;
      }
      const std::string key = spool::MakeIdempotencyKey(options.profile->id, mapping->key_type, parts, {});
      canonical::Envelope env;
      env.partner = options.profile->id;
      env.type = mapping->type;
      env.idempotency_key = key;
      env.source = &options.source;
      std::string event;
      canonical::AppendCloudEvent(event, env, data);
      const std::string explained = options.explain ? what + " -> " + mapping->type + " (" + mapping->file + ")\n" + explain : "";
      MappedMessage msg;
      msg.type = mapping->type;
      msg.idempotency_key = key;
      msg.event = event;
      msg.explain = explained;
      origin.business_key = parts;
      msg.origin = &origin;
      sink.OnMapped(msg);
    }
  }
  if (!any) {
    sink.OnRejected(RejectedMessage{options.source.file + ": not mapped",
                                    {"no XML mapping of partner " + options.profile->id + " selects a document in it (root element <" +
                                     std::string(doc.document_element().name()) + ">)"},
                                    SetOrigin{}});
  }
}

bool LooksLikeXml(std::string_view head) {
  const auto byte = [&](size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0x100u; };
  const auto blank = [](unsigned c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  // UTF-16: code units of two bytes, the character in the low byte's place.
  const auto utf16_starts_xml = [&](size_t at, bool little_endian) {
    for (; at + 1 < head.size(); at += 2) {
      const unsigned lo = byte(little_endian ? at : at + 1), hi = byte(little_endian ? at + 1 : at);
      if (hi != 0) return false;
      if (lo == '<') return true;
      if (!blank(lo)) return false;
    }
    return false;
  };
  if (byte(0) == 0xFF && byte(1) == 0xFE) return utf16_starts_xml(2, true);
  if (byte(0) == 0xFE && byte(1) == 0xFF) return utf16_starts_xml(2, false);
  if (byte(1) == 0 && byte(0) != 0) return utf16_starts_xml(0, true);
  if (byte(0) == 0 && byte(1) != 0) return utf16_starts_xml(0, false);
  size_t at = byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF ? 3 : 0;
  while (blank(byte(at))) ++at;
  return byte(at) == '<';
}

}  // namespace gateway::mapping
