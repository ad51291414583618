// X12 -> canonical: the ValidationSink that maps accepted sets (inbound.h).
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
    out->assign(v.data(), v.size());
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
  std::string data;
  std::vector<std::string> errors;
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
  interchange_held_.clear();
  const partners::PartnerProfile& p = *options_.profile;
  if (p.format == "x12" && (info.sender_id != p.theirs.id || info.sender_qualifier != p.theirs.qualifier) &&
      warned_senders_.insert(info.sender()).second) {
    sink_.OnWarning("interchange " + info.control + ": the sender is " + info.sender() + ", not " + p.id + "'s " +
                    p.theirs.qualifier + ":" + p.theirs.id + "; mapping with profile " + p.id + " as asked (--partner); said once per sender");
  }
}

void X12InboundMapper::OnGroupStart(const edi::GroupInfo& info) {
  group_ = info;
  group_held_.clear();
}

void X12InboundMapper::OnSetStart(const edi::SetInfo& info) {
  set_ = info;
  tree_.Clear();
  auto it = options_.mappings.find(info.id);
  mapping_ = it == options_.mappings.end() ? nullptr : it->second.get();
}

void X12InboundMapper::OnSetSegment(const edi::Segment& segment, const edi::SegmentContext& context) {
  if (mapping_ != nullptr) tree_.Add(segment, context);
}

std::string X12InboundMapper::SetName() const {
  return "set " + set_.id + " " + set_.control + " (group " + group_.control + ", interchange " + interchange_.control + ")";
}

void X12InboundMapper::OnSetEnd(const edi::SetResult& set) {
  Pending p;
  if (set.status == 'R') {
    p.rejected = true;
    p.rejection.what = SetName() + ": rejected by validation (AK5 R)";
    for (const edi::Error& e : set.errors) {
      if (!e.warning) p.rejection.errors.push_back(e.Describe());
    }
    group_held_.push_back(std::move(p));
    return;
  }
  if (mapping_ == nullptr) {
    p.rejected = true;
    p.rejection.what = SetName() + ": not mapped";
    p.rejection.errors.push_back(options_.profile->file + ": partner " + options_.profile->id +
                                 " has no inbound mapping for transaction set " + set_.id);
    group_held_.push_back(std::move(p));
    return;
  }
  tree_.Finish(&interchange_.delimiters);
  MapSet(*mapping_);
}

void X12InboundMapper::MapSet(const Mapping& mapping) {
  Scratch& s = *scratch_;
  s.errors.clear();
  s.data.clear();
  std::string explain;
  X12Source src(tree_, mapping, s.pool);
  Evaluator<X12Source> ev(mapping, src, &s.errors, options_.explain ? &explain : nullptr);
  X12Source::Ctx root;
  ev.Object(mapping.data, root, s.data, "data");
  const std::vector<std::string>& parts = ev.key_parts();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty()) {
      s.errors.push_back(Where(mapping, mapping.data.line) + ": idempotency key field '" + mapping.key_fields[i] + "' is empty");
    }
  }
  Pending p;
  if (!s.errors.empty()) {
    p.rejected = true;
    p.rejection.what = SetName() + ": not mapped (" + mapping.file + ")";
    p.rejection.errors = std::move(s.errors);
    s.errors = {};
    group_held_.push_back(std::move(p));
    return;
  }
  canonical::EdiSource source = options_.source;
  source.isa13 = interchange_.control;
  source.gs06 = group_.control;
  source.st02 = set_.control;
  MappedMessage& msg = p.message;
  msg.type = mapping.type;
  msg.idempotency_key = spool::MakeIdempotencyKey(options_.profile->id, mapping.key_type, parts,
                                                  spool::ControlNumbers{source.isa13, source.gs06, source.st02});
  const std::string time = IsoTime(group_);
  canonical::Envelope env;
  env.partner = options_.profile->id;
  env.type = mapping.type;
  env.time = time;
  env.idempotency_key = msg.idempotency_key;
  env.source = &source;
  msg.event.reserve(s.data.size() + 512);
  canonical::AppendCloudEvent(msg.event, env, s.data);
  msg.what = SetName();
  if (options_.explain) msg.explain = SetName() + " -> " + mapping.type + " (" + mapping.file + ")\n" + explain;
  group_held_.push_back(std::move(p));
}

void X12InboundMapper::RejectHeld(std::vector<Pending>& held, const std::string& why) {
  for (Pending& p : held) {
    if (p.rejected) continue;
    p.rejected = true;
    p.rejection.what = p.message.what + ": not mapped";
    p.rejection.errors.push_back(why);
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
    RejectHeld(group_held_, why);
  }
  for (Pending& p : group_held_) interchange_held_.push_back(std::move(p));
  group_held_.clear();
}

void X12InboundMapper::OnInterchangeEnd(const edi::InterchangeResult& ix) {
  for (Pending& p : group_held_) interchange_held_.push_back(std::move(p));
  group_held_.clear();
  if (ix.ta1_status == 'R') {
    std::string why = "its interchange " + ix.info.control + " was rejected (TA1 R " + ix.ta1_code + ")";
    for (const edi::Error& e : ix.errors) {
      if (!e.warning) why += "; " + e.Describe();
    }
    RejectHeld(interchange_held_, why);
  }
  for (Pending& p : interchange_held_) {
    if (p.rejected) {
      sink_.OnRejected(std::move(p.rejection));
    } else {
      sink_.OnMapped(std::move(p.message));
    }
  }
  interchange_held_.clear();
}

void X12InboundMapper::OnFileError(const edi::Error& error) {
  RejectedMessage r;
  r.what = options_.source.file + ": not X12";
  r.errors.push_back(error.Describe());
  sink_.OnRejected(std::move(r));
}

void X12InboundMapper::Finish() {
  for (Pending& p : group_held_) interchange_held_.push_back(std::move(p));
  group_held_.clear();
  for (Pending& p : interchange_held_) {
    if (p.rejected) {
      sink_.OnRejected(std::move(p.rejection));
    } else {
      sink_.OnMapped(std::move(p.message));
    }
  }
  interchange_held_.clear();
}

}  // namespace gateway::mapping
