// X12 -> canonical: the ValidationSink that maps accepted sets (inbound.h).
#include <algorithm>
#include <deque>
#include <filesystem>

#include "gateway/mapping/evaluator.h"
#include "gateway/mapping/inbound.h"
#include "spool/idempotency_key.h"

namespace gateway::mapping {

namespace {

// The Source of the evaluator over a SetTree.
class X12Source {
 public:
  struct Ctx {
    SetTree::Scope scope;
    int index = 0;
  };

  X12Source(const SetTree& tree, const Mapping& m, std::deque<std::vector<SetTree::Match>>& pool)
      : tree_(tree), m_(m), pool_(pool) {}

  bool Scalar(int source, const Ctx& ctx, std::string* out) {
    const X12Path& p = m_.x12_paths[static_cast<size_t>(source)];
    SetTree::Match match;
    if (!tree_.Find(p, ctx.scope, &match)) return false;
    if (p.element == 0) {
      out->assign(tree_.segment(match.segment).tag());
      return true;
    }
    const std::string_view v = tree_.Value(p, match);
    // clear + append: the views never alias `out`, so skip assign's general replace path.
    out->clear();
    out->append(v.data(), v.size());
    return !v.empty();
  }

  template <class F>
  size_t Each(int source, const Ctx& ctx, F&& f) {
    if (depth_ == pool_.size()) pool_.emplace_back();
    std::vector<SetTree::Match>& matches = pool_[depth_++];
    matches.clear();
    tree_.FindAll(m_.x12_paths[static_cast<size_t>(source)], ctx.scope, &matches);
    for (size_t i = 0; i < matches.size(); ++i) {
      const SetTree::Match& mt = matches[i];
      Ctx item;
      item.scope.instance = mt.instance >= 0 ? mt.instance : tree_.OwnerOf(mt.segment);
      item.scope.segment = mt.instance >= 0 ? -1 : mt.segment;
      item.scope.outer = &ctx.scope;
      item.index = static_cast<int>(i) + 1;
      f(item);
    }
    --depth_;
    return matches.size();
  }

  int Index(const Ctx& ctx) const { return ctx.index; }

  std::string Describe(int source, const Ctx& ctx) const {
    const int seg = ctx.scope.segment >= 0 ? ctx.scope.segment : tree_.AnchorSegment(ctx.scope.instance);
    std::string d;
    if (source >= 0) d = m_.source_texts[static_cast<size_t>(source)] + " from ";
    d += "segment " + std::to_string(tree_.position(seg)) + " (" + std::string(tree_.segment(seg).tag()) + ")";
    return d;
  }

 private:
  const SetTree& tree_;
  const Mapping& m_;
  std::deque<std::vector<SetTree::Match>>& pool_;
  size_t depth_ = 0;
};

std::string IsoTime(const edi::GroupInfo& g) {
  std::string v = g.date + " " + g.time;
  std::string why;
  if (!ConvertValue(ValueType::kDateTime, 0, false, v, &why)) return "";
  return v;
}

}  // namespace

struct X12InboundMapper::Scratch {
  std::deque<std::vector<SetTree::Match>> pool;
  std::vector<std::string> peeked_key;
  std::string explain;
  std::vector<std::string> errors;
  canonical::EdiSource source;
  std::string source_name;  // "edigate/<partner>" is built by the envelope; kept for reuse
  // The evaluator of the last mapping used, kept across sets so its buffers are reused.
  const Mapping* mapping = nullptr;
  std::unique_ptr<X12Source> src;
  std::unique_ptr<Evaluator<X12Source>> ev;
};

Result<std::map<std::string, std::shared_ptr<const Mapping>>> LoadInboundMappings(const partners::PartnerProfile& profile) {
  std::map<std::string, std::shared_ptr<const Mapping>> out;
  for (const partners::MappingRef& ref : profile.mappings) {
    if (ref.direction != "inbound") continue;
    auto m = LoadMapping(ref.path, profile);
    if (!m.ok()) return m.status();
    if ((*m)->outbound) {
      return Status(Code::kInvalidArgument, profile.file + ":" + std::to_string(ref.line) + ": mappings.inbound." + ref.key +
                                                ": " + ref.path + " is an outbound mapping");
    }
    out[ref.key] = *m;
  }
  return out;
}

X12InboundMapper::X12InboundMapper(InboundOptions options, InboundSink& sink)
    : options_(std::move(options)), sink_(sink), scratch_(std::make_unique<Scratch>()) {}

X12InboundMapper::~X12InboundMapper() = default;

void X12InboundMapper::OnInterchangeStart(const edi::InterchangeInfo& info) {
  interchange_ = info;
  held_.clear();
  text_len_ = 0;
  group_start_ = 0;
  const partners::PartnerProfile& p = *options_.profile;
  if (p.format == "x12" && (info.sender_id != p.theirs.id || info.sender_qualifier != p.theirs.qualifier) &&
      warned_senders_.insert(info.sender()).second) {
    sink_.OnWarning("interchange " + info.control + ": the sender is " + info.sender() + ", not " + p.id + "'s " +
                    p.theirs.qualifier + ":" + p.theirs.id + "; mapping with profile " + p.id +
                    " as asked (--partner); said once per sender");
  }
}

void X12InboundMapper::OnGroupStart(const edi::GroupInfo& info) {
  group_ = info;
  group_start_ = held_.size();
  time_ = IsoTime(group_);
}

void X12InboundMapper::OnSetStart(const edi::SetInfo& info) {
  set_ = info;
  ++set_index_;
  tree_.Clear();
  auto it = options_.mappings.find(info.id);
  mapping_ = it == options_.mappings.end() ? nullptr : it->second.get();
}

void X12InboundMapper::OnSetSegment(const edi::Segment& segment, const edi::SegmentContext& context) {
  if (mapping_ != nullptr) tree_.Add(segment, context);
}

SetOrigin X12InboundMapper::Origin() const {
  SetOrigin o;
  o.index = set_index_;
  o.set_id = set_.id;
  o.isa13 = interchange_.control;
  o.gs06 = group_.control;
  o.st02 = set_.control;
  return o;
}

std::string X12InboundMapper::SetName() const {
  return "set " + set_.id + " " + set_.control + " (group " + group_.control + ", interchange " + interchange_.control + ")";
}

void X12InboundMapper::OnSetEnd(const edi::SetResult& set) {
  if (set.status == 'R') {
    Held& h = held_.emplace_back();
    h.rejected = true;
    h.rejection.origin = Origin();
    h.rejection.what = SetName() + ": rejected by validation (AK5 R)";
    for (const edi::Error& e : set.errors) {
      if (!e.warning) h.rejection.errors.push_back(e.Describe());
    }
    return;
  }
  if (mapping_ == nullptr) {
    Held& h = held_.emplace_back();
    h.rejected = true;
    h.rejection.origin = Origin();
    h.rejection.what = SetName() + ": not mapped";
    h.rejection.errors.push_back(options_.profile->file + ": partner " + options_.profile->id +
                                 " has no inbound mapping for transaction set " + set_.id);
    return;
  }
  tree_.Finish(&interchange_.delimiters);
  MapSet(*mapping_);
}

void X12InboundMapper::MapSet(const Mapping& mapping) {
  Scratch& s = *scratch_;
  if (s.mapping != &mapping) {
    s.mapping = &mapping;
    s.src = std::make_unique<X12Source>(tree_, mapping, s.pool);
    s.ev = std::make_unique<Evaluator<X12Source>>(mapping, *s.src, &s.errors, options_.explain ? &s.explain : nullptr);
  }
  s.errors.clear();
  s.explain.clear();
  Evaluator<X12Source>& ev = *s.ev;
  ev.Reset();
  X12Source::Ctx root;
  if (s.source.file.empty()) s.source = options_.source;
  s.source.isa13 = interchange_.control;
  s.source.gs06 = group_.control;
  s.source.st02 = set_.control;

  // The event is written in place at the end of text_: the envelope first, which carries the
  // idempotency key, so the key fields are evaluated ahead of the data (a copy of every
  // event's data otherwise). A set with errors is cut off again.
  const size_t event_begin = text_len_;
  canonical::JsonBuffer out(text_, canonical::JsonBuffer::Scratch{}, text_len_);
  ev.PeekKeyParts(mapping.data, root, &s.peeked_key);
  const std::string key = spool::MakeIdempotencyKey(options_.profile->id, mapping.key_type, s.peeked_key,
                                                    spool::ControlNumbers{s.source.isa13, s.source.gs06, s.source.st02});
  canonical::Envelope env;
  env.partner = options_.profile->id;
  env.type = mapping.type;
  env.time = time_;
  env.idempotency_key = key;
  env.source = &s.source;
  canonical::AppendCloudEventHead(out, env);
  ev.Object(mapping.data, root, out, "data");
  out.push_back('}');

  const std::vector<std::string>& parts = ev.key_parts();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty()) {
      s.errors.push_back(Where(mapping, mapping.data.line) + ": idempotency key field '" + mapping.key_fields[i] + "' is empty");
    }
  }
  // PeekKeyParts evaluates the same rules on the same set, so a difference is a bug here; the
  // event's key would not match its envelope, so the set is held back (quarantined) rather
  // than delivered under a wrong key, and the daemon stays up.
  if (s.errors.empty() && parts != s.peeked_key) {
    s.errors.push_back(Where(mapping, mapping.data.line) +
                       ": internal error: the idempotency key fields changed between two evaluations");
  }
  Held& h = held_.emplace_back();
  if (!s.errors.empty()) {
    h.rejected = true;
    h.rejection.origin = Origin();
    h.rejection.origin.key_type = mapping.key_type;
    // The key fields themselves may be fine (a code table lacked an entry, say): keep them, so
    // the set, once fixed and mapped again, carries the same idempotency key.
    if (std::none_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
      h.rejection.origin.business_key = parts;
    }
    h.rejection.what = SetName() + ": not mapped (" + mapping.file + ")";
    h.rejection.errors = s.errors;
    return;  // text_len_ unchanged: the event written is dropped
  }
  h.origin = Origin();
  h.origin.key_type = mapping.key_type;
  h.origin.business_key = parts;
  h.mapping = &mapping;
  h.set_id = set_.id;
  h.control = set_.control;
  h.group = group_.control;
  h.event_begin = event_begin;
  h.event_end = out.size();
  out.append(key);
  h.key_end = out.size();
  if (options_.explain) {
    out.append(SetName() + " -> " + mapping.type + " (" + mapping.file + ")\n");
    out.append(s.explain);
  }
  h.explain_end = out.size();
  text_len_ = out.size();
}

void X12InboundMapper::RejectHeld(size_t from, const std::string& why) {
  for (size_t i = from; i < held_.size(); ++i) {
    Held& h = held_[i];
    if (h.rejected) continue;
    h.rejected = true;
    h.rejection.origin = h.origin;
    h.rejection.what = "set " + h.set_id + " " + h.control + " (group " + h.group + ", interchange " +
                       interchange_.control + "): not mapped";
    h.rejection.errors.push_back(why);
  }
}

void X12InboundMapper::OnGroupEnd(const edi::GroupResult& group) {
  if (group.ak9 == 'R') {
    std::string why = "its group " + group.info.control + " was rejected (AK9 R";
    for (const std::string& c : group.ak9_codes) why += " " + c;
    why += ")";
    for (const edi::Error& e : group.errors) {
      if (!e.warning) why += "; " + e.Describe();
    }
    RejectHeld(group_start_, why);
  }
  group_start_ = held_.size();
}

void X12InboundMapper::OnInterchangeEnd(const edi::InterchangeResult& ix) {
  if (ix.ta1_status == 'R') {
    std::string why = "its interchange " + ix.info.control + " was rejected (TA1 R " + ix.ta1_code + ")";
    for (const edi::Error& e : ix.errors) {
      if (!e.warning) why += "; " + e.Describe();
    }
    RejectHeld(0, why);
  }
  Deliver();
}

void X12InboundMapper::Deliver() {
  for (Held& h : held_) {
    if (h.rejected) {
      sink_.OnRejected(std::move(h.rejection));
      continue;
    }
    MappedMessage m;
    m.type = h.mapping->type;
    m.event = std::string_view(text_).substr(h.event_begin, h.event_end - h.event_begin);
    m.idempotency_key = std::string_view(text_).substr(h.event_end, h.key_end - h.event_end);
    m.explain = std::string_view(text_).substr(h.key_end, h.explain_end - h.key_end);
    m.origin = &h.origin;
    sink_.OnMapped(m);
  }
  held_.clear();
  text_len_ = 0;
  group_start_ = 0;
}

void X12InboundMapper::OnFileError(const edi::Error& error) {
  RejectedMessage r;
  r.what = options_.source.file + ": not X12";
  r.errors.push_back(error.Describe());
  sink_.OnRejected(std::move(r));
}

void X12InboundMapper::Finish() { Deliver(); }

}  // namespace gateway::mapping
