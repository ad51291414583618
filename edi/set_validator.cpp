#include "edi/set_validator.h"

#include <algorithm>

#include "edi/element_check.h"

namespace edi {
namespace {

bool ValidTag(std::string_view tag) {
  if (tag.size() < 2 || tag.size() > 3) return false;
  if (tag[0] < 'A' || tag[0] > 'Z') return false;
  for (char c : tag) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::string ElementName(const ElementDef* def, std::string_view tag, int element, int component) {
  std::string s(tag);
  if (element < 10) s += '0';
  s += std::to_string(element);
  if (component > 0) s += "-" + std::to_string(component);
  if (def != nullptr && !def->name.empty()) s += " (" + def->name + ")";
  return s;
}

std::string Clip(std::string_view v) { return std::string(v.substr(0, 99)); }

bool MaskedRuleHolds(const SyntaxRule& r, uint64_t present_mask) {
  return detail::MaskHolds(r.kind, r.mask, uint64_t{1} << r.positions.front(), present_mask);
}

// HL01 and HL02 in one pass over the raw bytes, numbers included: no split of the segment, no
// memchr call per element (HL ids are a few bytes), and a quarter of an 856's segments are HLs.
void ReadHlIds(const Segment& seg, detail::HlId* id, detail::HlId* parent) {
  const char sep = seg.delimiters().element;
  const std::string_view raw = seg.raw();
  size_t p = seg.tag().size();  // at the separator before element 1, or the end
  for (detail::HlId* e : {id, parent}) {
    if (p >= raw.size()) {
      *e = detail::HlId{};
      continue;
    }
    const size_t start = ++p;
    uint32_t number = 0;  // wraps for long values, which are not dense anyway
    bool digits = true;
    for (; p < raw.size() && raw[p] != sep; ++p) {
      const auto d = static_cast<uint32_t>(static_cast<unsigned char>(raw[p])) - uint32_t{'0'};
      digits = digits && d <= 9;
      number = number * 10 + d;
    }
    const size_t n = p - start;
    e->text = raw.substr(start, n);
    e->number = number;
    e->dense = digits && n >= 1 && n <= 6 && (n == 1 || raw[start] != '0');
  }
}

std::string CodeText(std::string_view code) {
  if (code == "1") return "mandatory data element missing";
  if (code == "2") return "conditional required data element missing";
  if (code == "3") return "too many data elements";
  if (code == "4") return "data element too short";
  if (code == "5") return "data element too long";
  if (code == "6") return "invalid character in data element";
  if (code == "7") return "invalid code value";
  if (code == "8") return "invalid date";
  if (code == "9") return "invalid time";
  if (code == "10") return "exclusion condition violated";
  return "error";
}

}  // namespace

SetValidator::SetValidator(const SchemaRegistry& registry, SetValidatorOptions options)
    : registry_(registry), options_(options) {}

void SetValidator::Add(Error e) {
  ++error_count_;
  if (!e.warning) rejected_ = true;
  if (errors_.size() < options_.max_errors) errors_.push_back(std::move(e));
}

void SetValidator::AddSegmentError(const Segment* seg, std::string tag, uint32_t position,
                                   uint64_t offset, std::string code, std::string loop,
                                   std::string message) {
  Error e;
  e.layer = Layer::kSegment;
  e.set_code = "5";
  e.segment_code = std::move(code);
  e.segment = std::move(tag);
  e.segment_position = position;
  e.offset = seg != nullptr ? seg->offset() : offset;
  e.loop = std::move(loop);
  e.message = std::move(message);
  Add(std::move(e));
}

void SetValidator::AddElementError(const Segment& seg, uint32_t position, std::string_view loop,
                                   const ElementDef* def, int element, int component,
                                   std::string code, std::string_view value, std::string message) {
  Error e;
  e.layer = Layer::kElement;
  e.set_code = "5";
  e.segment_code = "8";
  e.element_code = std::move(code);
  e.segment = std::string(seg.tag());
  e.segment_position = position;
  e.offset = seg.offset();
  e.loop = std::string(loop);
  e.element = element;
  e.component = component;
  if (def != nullptr && !def->id.empty() && def->id[0] >= '0' && def->id[0] <= '9') {
    e.element_ref = def->id;
  }
  e.bad_value = Clip(value);
  e.message = std::move(message);
  Add(std::move(e));
}

void SetValidator::Begin(const SetSchema* schema) {
  schema_ = schema;
  errors_.clear();
  error_count_ = 0;
  rejected_ = false;
  if (!hl_ids_.empty()) hl_ids_.clear();
  if (++hl_set_ == 0) {  // wrapped: forget every stamp
    std::fill(hl_stamp_.begin(), hl_stamp_.end(), 0);
    hl_set_ = 1;
  }
  hl_count_ = 0;
  depth_ = 0;
  if (schema_ != nullptr) {
    Push(&schema_->root);
    stack_[0].counts[0] = 1;  // ST
  }
}

void SetValidator::Push(const StructureNode* loop) {
  if (stack_.size() <= depth_) stack_.emplace_back();
  Frame& f = stack_[depth_++];
  f.node = loop;
  f.pos = 0;
  f.counts.assign(loop->children.size(), 0);
}

void SetValidator::ReportMissing(const Frame& f, size_t from, size_t to, uint32_t position,
                                 uint64_t offset) {
  // Children past the last mandatory one cannot be missing.
  to = std::min(to, f.node->mandatory_end);
  for (size_t i = from; i < to && i < f.node->children.size(); ++i) {
    const StructureNode& c = f.node->children[i];
    if (c.mandatory && f.counts[i] == 0 && c.tag != "SE") {
      AddSegmentError(nullptr, c.tag, position, offset, "3", c.is_loop ? c.loop_id : f.node->loop_id,
                      "mandatory " + std::string(c.is_loop ? "loop " + c.loop_id + " starting with " : "segment ") +
                          c.tag + " is missing");
    }
  }
}

void SetValidator::CloseFrame(Frame& f, uint32_t position, uint64_t offset) {
  if (f.pos + 1 >= f.node->mandatory_end) return;  // no mandatory child left to miss
  ReportMissing(f, f.pos + 1, f.node->children.size(), position, offset);
}

SetValidator::Placement SetValidator::OnSegment(const Segment& seg, uint32_t position,
                                                const SegmentDef* proved_clean) {
  const std::string_view tag = seg.tag();
  if (tag == "HL") CheckHierarchy(seg, position, "HL");
  if (schema_ == nullptr) return Placement{};
  const uint32_t key = detail::TagKey(tag);
  for (size_t d = depth_; d-- > 0;) {
    Frame& f = stack_[d];
    const auto& kids = f.node->children;
    // In a loop frame the trigger (child 0) starts a new iteration, which the parent decides.
    size_t start = f.pos;
    if (d > 0 && start == 0) start = 1;
    // The first child at or after `start` with this tag.
    for (const size_t i : f.node->child_index.Find(key)) {
      const StructureNode& c = kids[i];
      if (i < start || (key == detail::kLongTagKey && c.tag != tag)) continue;
      // The segment belongs to this frame: deeper loops end here.
      for (size_t k = depth_; k-- > d + 1;) CloseFrame(stack_[k], position, seg.offset());
      depth_ = d + 1;
      if (f.pos + 1 < std::min(i, f.node->mandatory_end)) {  // skipped a mandatory child?
        ReportMissing(f, f.pos + 1, i, position, seg.offset());
      }
      f.pos = i;
      ++f.counts[i];
      if (c.is_loop) {
        if (f.counts[i] > c.max_use) {
          AddSegmentError(&seg, std::string(tag), position, 0, "4", c.loop_id,
                          "loop " + c.loop_id + " occurs more than " + std::to_string(c.max_use) +
                              " times");
        }
        Push(&c);
        stack_[depth_ - 1].counts[0] = 1;
        if (c.segment != nullptr) CheckElements(*c.segment, seg, position, c.loop_id, proved_clean);
        return Placement{&c.loop_id, static_cast<uint16_t>(depth_ - 1), true};
      }
      if (f.counts[i] > c.max_use) {
        AddSegmentError(&seg, std::string(tag), position, 0, "5", f.node->loop_id,
                        "segment " + std::string(tag) + " exceeds its maximum use of " +
                            std::to_string(c.max_use));
      }
      if (c.segment != nullptr) CheckElements(*c.segment, seg, position, f.node->loop_id, proved_clean);
      return Placement{&f.node->loop_id, static_cast<uint16_t>(depth_ - 1), false};
    }
  }
  // Not reachable from here.
  std::string t(tag);
  if (!ValidTag(tag) || !registry_.KnowsSegment(tag)) {
    AddSegmentError(&seg, t, position, 0, "1", "", "unrecognized segment ID '" + t + "'");
  } else if (schema_->UsesTag(tag)) {
    AddSegmentError(&seg, t, position, 0, "7", "",
                    "segment " + t + " is not in its proper sequence (or exceeds its loop)");
  } else {
    AddSegmentError(&seg, t, position, 0, "6", "",
                    "segment " + t + " is not defined in transaction set " + schema_->id);
  }
  // Unplaced: it stays in the current loop for consumers (the set is rejected anyway).
  return Placement{depth_ > 0 ? &stack_[depth_ - 1].node->loop_id : nullptr,
                   static_cast<uint16_t>(depth_ > 0 ? depth_ - 1 : 0), false};
}

void SetValidator::End(const Segment* se, uint32_t position) {
  // A set cut off before its SE is rejected for that (AK502 2); listing every mandatory
  // segment it never reached would only bury the real problem.
  if (schema_ == nullptr || se == nullptr) return;
  const uint64_t offset = se->offset();
  for (size_t k = depth_; k-- > 1;) CloseFrame(stack_[k], position, offset);
  depth_ = std::min<size_t>(depth_, 1);
  if (depth_ == 1) CloseFrame(stack_[0], position, offset);
}

void SetValidator::CheckEachElement(const SegmentDef& def, const Segment& seg, uint32_t position,
                                    std::string_view loop) {
  const Delimiters& delims = seg.delimiters();
  const size_t defined = def.elements.size();
  // Trailing empty elements (extra separators) are tolerated; data beyond the definition is not.
  for (size_t i = defined + 1; i <= seg.size(); ++i) {
    if (!seg.element(i).empty()) {
      AddElementError(seg, position, loop, nullptr, static_cast<int>(i), 0, "3", seg.element(i),
                      std::string(seg.tag()) + " has " + std::to_string(seg.size()) +
                          " elements; the standard defines " + std::to_string(defined));
      break;
    }
  }
  // Elements past the last one present are empty: only a mandatory one among them matters
  // (checked after these, in position order).
  const size_t present_end = std::min(defined, seg.size());
  for (size_t i = 1; i <= present_end; ++i) {
    const ElementDef& e = def.elements[i - 1];
    std::string_view v = seg.element(i);
    const int pos = static_cast<int>(i);
    if (v.empty()) {
      if (e.mandatory) {
        AddElementError(seg, position, loop, &e, pos, 0, "1", v,
                        "mandatory element " + ElementName(&e, seg.tag(), pos, 0) + " is missing");
      }
      continue;
    }
    if (e.type == ElementType::kComposite && e.composite != nullptr) {
      const auto& comps = e.composite->components;
      const size_t n = seg.component_count(i);
      for (size_t c = 1; c <= std::max(n, comps.size()); ++c) {
        std::string_view cv = c <= n ? seg.component(i, c) : std::string_view();
        if (c > comps.size()) {
          if (!cv.empty()) {
            AddElementError(seg, position, loop, &e, pos, static_cast<int>(c), "3", v,
                            ElementName(&e, seg.tag(), pos, 0) + " has more components than " +
                                e.composite->id + " defines");
            break;
          }
          continue;
        }
        const ElementDef& ce = comps[c - 1];
        if (cv.empty()) {
          if (ce.mandatory) {
            AddElementError(seg, position, loop, &ce, pos, static_cast<int>(c), "1", cv,
                            "mandatory component " + ElementName(&ce, seg.tag(), pos, static_cast<int>(c)) +
                                " is missing");
          }
          continue;
        }
        std::string_view code = CheckElementValue(ce, cv, delims);
        if (!code.empty()) {
          AddElementError(seg, position, loop, &ce, pos, static_cast<int>(c), std::string(code), cv,
                          ElementName(&ce, seg.tag(), pos, static_cast<int>(c)) + ": " +
                              CodeText(code) + " '" + Clip(cv) + "'");
        }
      }
      continue;
    }
    std::string_view code = CheckElementValue(e, v, delims);
    if (!code.empty()) {
      std::string detail;
      if (code == "4" || code == "5") {
        detail = " (" + std::to_string(e.min_length) + "-" + std::to_string(e.max_length) + ")";
      }
      AddElementError(seg, position, loop, &e, pos, 0, std::string(code), v,
                      ElementName(&e, seg.tag(), pos, 0) + ": " + CodeText(code) + " '" + Clip(v) +
                          "'" + detail);
    }
  }
  for (size_t i = present_end + 1; i <= std::min(defined, def.mandatory_end); ++i) {
    const ElementDef& e = def.elements[i - 1];
    if (e.mandatory) {
      const int pos = static_cast<int>(i);
      AddElementError(seg, position, loop, &e, pos, 0, "1", {},
                      "mandatory element " + ElementName(&e, seg.tag(), pos, 0) + " is missing");
    }
  }
  // Which elements are present, as bits: most rules hold, and that is one mask test each.
  uint64_t present_mask = 0;
  if (!def.rules.empty()) {
    const size_t n = std::min<size_t>(seg.size(), 63);
    for (size_t i = 1; i <= n; ++i) present_mask |= uint64_t{!seg.element(i).empty()} << i;
  }
  for (const SyntaxRule& r : def.rules) {
    if (r.masked) {
      if (MaskedRuleHolds(r, present_mask)) continue;  // else the exact checks below name the element
    }
    auto present = [&](int p) { return !seg.element(static_cast<size_t>(p)).empty(); };
    int count = 0;
    for (int p : r.positions) count += present(p) ? 1 : 0;
    const int first = r.positions.front();
    int missing = 0;
    const char* code = "2";
    switch (r.kind) {
      case 'P':
        if (count > 0 && count < static_cast<int>(r.positions.size())) {
          for (int p : r.positions) {
            if (!present(p)) { missing = p; break; }
          }
        }
        break;
      case 'R':
        if (count == 0) missing = first;
        break;
      case 'C':
        if (present(first)) {
          for (size_t k = 1; k < r.positions.size(); ++k) {
            if (!present(r.positions[k])) { missing = r.positions[k]; break; }
          }
        }
        break;
      case 'E':
        if (count > 1) {
          code = "10";
          for (size_t k = 1; k < r.positions.size(); ++k) {
            if (present(r.positions[k])) { missing = r.positions[k]; break; }
          }
        }
        break;
      case 'L':
        if (present(first) && count == 1) missing = r.positions[1];
        break;
      default:
        break;
    }
    if (missing > 0) {
      const ElementDef* md = missing <= static_cast<int>(defined) ? &def.elements[missing - 1] : nullptr;
      AddElementError(seg, position, loop, md, missing, 0, code, seg.element(static_cast<size_t>(missing)),
                      std::string(seg.tag()) + " syntax note " + r.text + " violated at " +
                          ElementName(md, seg.tag(), missing, 0));
    }
  }
}

bool SetValidator::AddHlId(const HlId& id) {
  if (id.dense) {
    const uint32_t v = id.number;
    if (v >= hl_stamp_.size()) hl_stamp_.resize(std::max<size_t>(v + 1, hl_stamp_.size() * 2), 0);
    if (hl_stamp_[v] == hl_set_) return false;
    hl_stamp_[v] = hl_set_;
  } else if (!hl_ids_.insert(std::string(id.text)).second) {
    return false;
  }
  ++hl_count_;
  return true;
}

bool SetValidator::HasHlId(const HlId& id) const {
  if (id.dense) return id.number < hl_stamp_.size() && hl_stamp_[id.number] == hl_set_;
  return hl_ids_.count(std::string(id.text)) != 0;
}

void SetValidator::CheckHierarchy(const Segment& seg, uint32_t position, std::string_view loop) {
  HlId id, parent;
  ReadHlIds(seg, &id, &parent);
  // Nearly every HL: a new dense id whose dense parent came before (or the first HL, without
  // a parent). Nothing to report: the id is marked and that is all.
  const uint32_t n = static_cast<uint32_t>(hl_stamp_.size());
  if (id.dense && id.number < n && hl_stamp_[id.number] != hl_set_ &&
      (parent.dense ? parent.number < n && hl_stamp_[parent.number] == hl_set_
                    : parent.text.empty() && hl_count_ == 0)) {
    hl_stamp_[id.number] = hl_set_;
    ++hl_count_;
    return;
  }
  CheckHierarchyInFull(seg, position, loop, id, parent);
}

void SetValidator::CheckHierarchyInFull(const Segment& seg, uint32_t position, std::string_view loop,
                                        const HlId& hl01, const HlId& hl02) {
  const std::string_view id = hl01.text, parent = hl02.text;
  if (id.empty()) return;  // reported as a missing mandatory element
  if (!AddHlId(hl01)) {
    AddElementError(seg, position, loop, nullptr, 1, 0, "7", id,
                    "HL01 '" + std::string(id) + "' is not unique in the transaction set");
  }
  if (!parent.empty() && !HasHlId(hl02)) {
    AddElementError(seg, position, loop, nullptr, 2, 0, "7", parent,
                    "HL02 '" + std::string(parent) + "' names no earlier HL01");
  } else if (parent.empty() && hl_count_ > 1) {
    Error e;
    e.layer = Layer::kElement;
    e.segment = "HL";
    e.segment_position = position;
    e.offset = seg.offset();
    e.element = 2;
    e.warning = true;
    e.message = "HL " + std::string(id) + " (level " + std::string(seg.element(3)) +
                ") has no parent (HL02); the parent is inferred from the level order";
    Add(std::move(e));
  }
}

}  // namespace edi
