// X12 -> canonical: the ValidationSink that maps accepted sets (inbound.h).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>

#include "gateway/mapping/evaluator.h"
#include "gateway/mapping/held_spill.h"
#include "gateway/mapping/inbound.h"
#include "gateway/mapping/set_plan.h"
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

  X12Source(const Mapping& m, std::deque<std::vector<SetTree::Match>>& pool) : m_(m), pool_(pool) {}
  // The set mapped next (the source outlives the trees it is used with).
  void Bind(const SetTree& tree) { tree_ = &tree; }

  bool Scalar(int source, const Ctx& ctx, std::string* out) {
    const X12Path& p = m_.x12_paths[static_cast<size_t>(source)];
    SetTree::Match match;
    if (!tree_->Find(p, ctx.scope, &match)) return false;
    if (p.element == 0) {
      out->assign(tree_->segment(match.segment).tag());
      return true;
    }
    const std::string_view v = tree_->Value(p, match);
    // clear + append: the views never alias `out`, so skip assign's general replace path.
    out->clear();
    out->append(v.data(), v.size());
    return !v.empty();
  }

  bool View(int source, const Ctx& ctx, std::string_view* out) {
    const X12Path& p = m_.x12_paths[static_cast<size_t>(source)];
    SetTree::Match match;
    if (!tree_->Find(p, ctx.scope, &match)) return false;
    *out = p.element == 0 ? tree_->segment(match.segment).tag() : tree_->Value(p, match);
    return true;
  }

  template <class F>
  size_t Each(int source, const Ctx& ctx, F&& f) {
    if (depth_ == pool_.size()) pool_.emplace_back();
    std::vector<SetTree::Match>& matches = pool_[depth_++];
    matches.clear();
    tree_->FindAll(m_.x12_paths[static_cast<size_t>(source)], ctx.scope, &matches);
    for (size_t i = 0; i < matches.size(); ++i) {
      Ctx item;
      item.scope = tree_->ItemScope(matches[i], &ctx.scope);
      item.index = static_cast<int>(i) + 1;
      f(item);
    }
    --depth_;
    return matches.size();
  }

  int Index(const Ctx& ctx) const { return ctx.index; }

  std::string Describe(int source, const Ctx& ctx) const {
    const int seg = ctx.scope.segment >= 0 ? ctx.scope.segment : tree_->AnchorSegment(ctx.scope.instance);
    std::string d;
    if (source >= 0) d = m_.source_texts[static_cast<size_t>(source)] + " from ";
    d += "segment " + std::to_string(tree_->position(seg)) + " (" + std::string(tree_->segment(seg).tag()) + ")";
    return d;
  }

 private:
  const SetTree* tree_ = nullptr;
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

// One mapping thread's state: the evaluator of the last mapping it used (kept across sets so
// its buffers are reused) and the text of the events it mapped in this interchange.
struct X12InboundMapper::Lane {
  int index = 0;  // in lanes_
  std::deque<std::vector<SetTree::Match>> pool;
  std::vector<std::string> peeked_key;
  std::string explain;
  std::vector<std::string> errors;
  canonical::EdiSource source;
  const Mapping* mapping = nullptr;
  std::unique_ptr<X12Source> src;
  std::unique_ptr<Evaluator<X12Source>> ev;
  SetPlan* plan = nullptr;  // without --explain: the Evaluator is for sets the plan gives up on
  // The plans of the mappings this lane has used: a file that mixes 945s and 856s switches
  // mappings from set to set, and compiling is not per set work.
  std::vector<std::pair<const Mapping*, std::unique_ptr<SetPlan>>> plans;
  // The held events, keys and explanations, in blocks taken from the mapper's pool: the
  // first text_len bytes of the last block, and the blocks before it. A set starts a new
  // block once the current one holds kBlockBytes, so a block is never copied to grow past
  // that (a copy makes old and new resident at once), and an interchange of any size takes
  // blocks, not one string of its size. Blocks go back to the pool when the interchange is
  // delivered and keep their size, so writing into them never zero-fills again, and the
  // lanes together hold about one interchange's events, however the sets fell to them.
  static constexpr size_t kBlockBytes = size_t{2} << 20;
  std::vector<std::string> blocks;
  size_t text_len = 0;
};

// The mapping threads and the sets waiting for them. Trees are recycled: a set's tree goes
// to a worker with the set and comes back when it is mapped, and at most kTreesPerThread per
// thread exist, so a fast validator cannot run ahead of the mappers with unbounded memory.
class X12InboundMapper::Workers {
 public:
  Workers(X12InboundMapper& owner, unsigned threads) : owner_(owner) {
    max_trees_ = kTreesPerThread * (threads + 1);
    for (unsigned i = 0; i < threads; ++i) {
      try {
        threads_.emplace_back([this, lane = i + 1] { Run(lane); });
      } catch (const std::system_error&) {
        break;  // fewer threads, or none: the caller's thread maps what is left
      }
    }
  }
  ~Workers() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  size_t threads() const { return threads_.size(); }

  // A cleared tree for the next set; maps queued sets while none is free.
  SetTree* TakeTree() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (!free_.empty()) {
        SetTree* t = free_.back();
        free_.pop_back();
        return t;
      }
      if (trees_.size() < max_trees_) return trees_.emplace_back(std::make_unique<SetTree>()).get();
      HelpOrWait(lock);
    }
  }

  void Submit(Held* h) {
    bool wake;
    {
      std::lock_guard lock(mu_);
      queue_.push_back(h);
      ++pending_;
      wake = idle_ > 0;
    }
    if (wake) work_cv_.notify_one();  // a busy worker looks at the queue before it sleeps
  }

  // Until every submitted set is mapped.
  void AwaitAll() {
    std::unique_lock lock(mu_);
    while (pending_ > 0) HelpOrWait(lock);
  }

 private:
  static constexpr size_t kTreesPerThread = 8;

  // Maps the oldest queued set on the caller's thread (lane 0), or waits for a worker.
  void HelpOrWait(std::unique_lock<std::mutex>& lock) {
    if (!queue_.empty()) {
      Held* h = queue_.front();
      queue_.pop_front();
      lock.unlock();
      owner_.MapSet(*h, *owner_.lanes_[0]);
      lock.lock();
      Done(h);
      return;
    }
    ++waiting_;
    done_cv_.wait(lock);
    --waiting_;
  }

  void Done(Held* h) {  // under mu_
    free_.push_back(h->tree);
    h->tree = nullptr;
    --pending_;
    if (waiting_ > 0) done_cv_.notify_one();
  }

  void Run(size_t lane) {
    std::unique_lock lock(mu_);
    for (;;) {
      if (queue_.empty()) {
        if (stop_) return;
        ++idle_;
        work_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        --idle_;
        continue;
      }
      Held* h = queue_.front();
      queue_.pop_front();
      lock.unlock();
      owner_.MapSet(*h, *owner_.lanes_[lane]);
      lock.lock();
      Done(h);
    }
  }

  X12InboundMapper& owner_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Held*> queue_;
  size_t pending_ = 0;  // submitted and not yet mapped
  size_t idle_ = 0, waiting_ = 0;
  bool stop_ = false;
  std::vector<std::unique_ptr<SetTree>> trees_;
  std::vector<SetTree*> free_;
  size_t max_trees_ = 0;
  std::vector<std::thread> threads_;
};

unsigned MapThreadsFor(std::optional<uint64_t> bytes) {
  constexpr uint64_t kWorthThreads = 1 << 20;  // about 300 sets
  if (bytes && *bytes < kWorthThreads) return 0;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores <= 1 ? 0 : cores - 1;
}

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
    : options_(std::move(options)), sink_(sink) {
  // Lanes exist before the workers that use them start.
  for (unsigned i = 0; i <= options_.map_threads; ++i) {
    lanes_.push_back(std::make_unique<Lane>());
    lanes_.back()->index = static_cast<int>(i);
  }
  if (options_.map_threads > 0) {
    workers_ = std::make_unique<Workers>(*this, options_.map_threads);
    if (workers_->threads() == 0) workers_.reset();
  }
  if (workers_ == nullptr) {
    own_tree_ = std::make_unique<SetTree>();
    tree_ = own_tree_.get();
  }
}

// Workers stop (and join) before the lanes and trees they use go.
X12InboundMapper::~X12InboundMapper() { workers_.reset(); }

void X12InboundMapper::OnInterchangeStart(const edi::InterchangeInfo& info) {
  // The last interchange's sets were delivered at its end (the validator closes every
  // interchange it opens), so none is still mapping against the fields overwritten here.
  interchange_ = info;
  saw_interchange_ = true;
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
  group_start_ = spilled_ + held_.size();
  time_ = IsoTime(group_);
}

void X12InboundMapper::OnSetStart(const edi::SetInfo& info) {
  set_ = info;
  ++set_index_;
  auto it = options_.mappings.find(info.id);
  mapping_ = it == options_.mappings.end() ? nullptr : it->second.get();
  if (tree_ == nullptr) tree_ = workers_->TakeTree();
  tree_->Clear();
}

void X12InboundMapper::OnSetSegment(const edi::Segment& segment, const edi::SegmentContext& context) {
  if (mapping_ != nullptr) tree_->Add(segment, context);
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

std::string X12InboundMapper::SetName(const std::string& set_id, const std::string& control,
                                      const std::string& group) const {
  return "set " + set_id + " " + control + " (group " + group + ", interchange " + interchange_.control + ")";
}

void X12InboundMapper::OnSetEnd(const edi::SetResult& set) {
  if (set.status == 'R') {
    Held& h = held_.emplace_back();
    h.rejected = true;
    h.rejection.origin = Origin();
    h.rejection.what = SetName(set_.id, set_.control, group_.control) + ": rejected by validation (AK5 R)";
    for (const edi::Error& e : set.errors) {
      if (!e.warning) h.rejection.errors.push_back(e.Describe());
    }
    MaybeSpill();
    return;
  }
  if (mapping_ == nullptr) {
    Held& h = held_.emplace_back();
    h.rejected = true;
    h.rejection.origin = Origin();
    h.rejection.what = SetName(set_.id, set_.control, group_.control) + ": not mapped";
    h.rejection.errors.push_back(options_.profile->file + ": partner " + options_.profile->id +
                                 " has no inbound mapping for transaction set " + set_.id);
    MaybeSpill();
    return;
  }
  Held& h = held_.emplace_back();
  h.mapping = mapping_;
  h.origin = Origin();
  h.set_id = set_.id;
  h.control = set_.control;
  h.group = group_.control;
  h.time = time_;
  h.tree = tree_;
  if (workers_ == nullptr) {
    MapSet(h, *lanes_[0]);
    h.tree = nullptr;
  } else {
    tree_ = nullptr;  // the next set takes another
    workers_->Submit(&h);
  }
  MaybeSpill();
}

std::string X12InboundMapper::TakeBlock() {
  std::lock_guard lock(blocks_mu_);
  if (free_blocks_.empty()) return std::string();
  std::string b = std::move(free_blocks_.back());
  free_blocks_.pop_back();
  return b;
}

void X12InboundMapper::MapSet(Held& h, Lane& s) {
  const Mapping& mapping = *h.mapping;
  SetTree& tree = *h.tree;
  try {
    tree.Finish(&interchange_.delimiters);
    if (s.mapping != &mapping) {
      s.mapping = &mapping;
      s.src = std::make_unique<X12Source>(mapping, s.pool);
      s.ev = std::make_unique<Evaluator<X12Source>>(mapping, *s.src, &s.errors, options_.explain ? &s.explain : nullptr);
      s.plan = nullptr;
      if (!options_.explain && options_.compiled) {
        auto it = std::find_if(s.plans.begin(), s.plans.end(), [&](const auto& p) { return p.first == &mapping; });
        if (it == s.plans.end()) it = s.plans.emplace(s.plans.end(), &mapping, std::make_unique<SetPlan>(mapping));
        s.plan = it->second.get();
      }
    }
    s.src->Bind(tree);
    s.errors.clear();
    s.explain.clear();
    Evaluator<X12Source>& ev = *s.ev;
    ev.Reset();
    X12Source::Ctx root;
    if (s.source.file.empty()) s.source = options_.source;
    s.source.isa13 = interchange_.control;
    s.source.gs06 = h.group;
    s.source.st02 = h.control;

    // The event is written in place at the end of the lane's text: the envelope first, which
    // carries the idempotency key, so the key fields are evaluated ahead of the data (a copy
    // of every event's data otherwise). A set with errors is cut off again.
    if (s.blocks.empty() || s.text_len >= Lane::kBlockBytes) {
      s.blocks.push_back(TakeBlock());
      s.text_len = 0;
    }
    const size_t event_begin = s.text_len;
    canonical::JsonBuffer out(s.blocks.back(), canonical::JsonBuffer::Scratch{}, s.text_len);
    std::string key;
    const auto head = [&] {
      key = spool::MakeIdempotencyKey(options_.profile->id, mapping.key_type, s.peeked_key,
                                      spool::ControlNumbers{s.source.isa13, s.source.gs06, s.source.st02});
      canonical::Envelope env;
      env.partner = options_.profile->id;
      env.type = mapping.type;
      env.time = h.time;
      env.idempotency_key = key;
      env.source = &s.source;
      canonical::AppendCloudEventHead(out, env);
    };
    // The event is done when the plan managed the whole set (it reports nothing); the key
    // parts it found are those of the event.
    const auto done = [&](const std::vector<std::string>& parts) {
      h.origin.key_type = mapping.key_type;
      h.origin.business_key = parts;
      h.lane = s.index;
      h.block = s.blocks.size() - 1;
      h.event_begin = event_begin;
      h.event_end = out.size();
      out.append(key);
      h.key_end = out.size();
      if (options_.explain) {
        out.append(SetName(h.set_id, h.control, h.group) + " -> " + mapping.type + " (" + mapping.file + ")\n");
        out.append(s.explain);
      }
      h.explain_end = out.size();
      s.text_len = out.size();
      held_text_.fetch_add(h.explain_end - h.event_begin, std::memory_order_relaxed);
    };
    if (s.plan != nullptr && s.plan->Begin(tree, &s.peeked_key)) {
      head();
      if (s.plan->WriteData(out)) {
        out.push_back('}');
        done(s.peeked_key);
        compiled_sets_.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      out.resize(event_begin);
    }
    ev.PeekKeyParts(mapping.data, root, &s.peeked_key);
    head();
    ev.Object(mapping.data, root, out, "data");
    out.push_back('}');

    const std::vector<std::string>& parts = ev.key_parts();
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].empty()) {
        s.errors.push_back(Where(mapping, mapping.data.line) + ": idempotency key field '" + mapping.key_fields[i] +
                           "' is empty");
      }
    }
    // PeekKeyParts evaluates the same rules on the same set, so a difference is a bug here;
    // the event's key would not match its envelope, so the set is held back (quarantined)
    // rather than delivered under a wrong key, and the daemon stays up.
    if (s.errors.empty() && parts != s.peeked_key) {
      s.errors.push_back(Where(mapping, mapping.data.line) +
                         ": internal error: the idempotency key fields changed between two evaluations");
    }
    h.origin.key_type = mapping.key_type;
    if (!s.errors.empty()) {
      h.rejected = true;
      h.rejection.origin = h.origin;
      // The key fields themselves may be fine (a code table lacked an entry, say): keep them,
      // so the set, once fixed and mapped again, carries the same idempotency key.
      if (std::none_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
        h.rejection.origin.business_key = parts;
      }
      h.rejection.what = SetName(h.set_id, h.control, h.group) + ": not mapped (" + mapping.file + ")";
      h.rejection.errors = s.errors;
      return;  // text_len unchanged: the event written is dropped
    }
    done(parts);
  } catch (const std::exception& e) {
    // Nothing here should throw but allocation; the set is held back, not lost, and the
    // other sets (and the threads mapping them) go on.
    h.rejected = true;
    h.rejection.origin = h.origin;
    h.rejection.what = SetName(h.set_id, h.control, h.group) + ": not mapped (" + mapping.file + ")";
    h.rejection.errors = {std::string("internal error while mapping: ") + e.what()};
  }
}

void X12InboundMapper::RejectHeld(size_t from, const std::string& why) {
  // The sets may still be mapping on other threads: the verdict is noted beside them and
  // applied when they are delivered (a set whose mapping failed keeps that reason).
  verdicts_.push_back(why);
  const int v = static_cast<int>(verdicts_.size() - 1);
  if (from < spilled_) spilled_verdicts_.push_back({from, spilled_, v});
  for (size_t i = from > spilled_ ? from - spilled_ : 0; i < held_.size(); ++i) {
    Held& h = held_[i];
    // Only sets handed to mapping can still be delivered; the others were rejected already.
    if (h.verdict < 0 && h.mapping != nullptr) h.verdict = v;
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
  group_start_ = spilled_ + held_.size();
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
  if (workers_ != nullptr) workers_->AwaitAll();
  if (spilled_ > 0) {
    size_t index = 0;
    if (!spill_->Drain([&](SpilledSet& r) { DeliverSpilled(r, index++); }) || index != spilled_) {
      // The sets held in the temporary file cannot all be read back. Going on would lose them;
      // stopping loses nothing: the daemon, restarted, maps the spooled file again.
      std::fprintf(stderr, "edigate: fatal: %zu of %zu held sets could not be read back from the temporary file\n",
                   spilled_ - index, spilled_);
      std::abort();
    }
  }
  for (Held& h : held_) {
    if (!h.rejected && h.verdict >= 0) {
      h.rejected = true;
      h.rejection = Overruled(h.set_id, h.control, h.group, h.origin, h.verdict);
    }
    if (h.rejected) {
      sink_.OnRejected(std::move(h.rejection));
      continue;
    }
    const std::string& text = lanes_[static_cast<size_t>(h.lane)]->blocks[h.block];
    MappedMessage m;
    m.type = h.mapping->type;
    m.event = std::string_view(text).substr(h.event_begin, h.event_end - h.event_begin);
    m.idempotency_key = std::string_view(text).substr(h.event_end, h.key_end - h.event_end);
    m.explain = std::string_view(text).substr(h.key_end, h.explain_end - h.key_end);
    m.origin = &h.origin;
    sink_.OnMapped(m);
  }
  held_.clear();
  verdicts_.clear();
  spilled_ = 0;
  spilled_verdicts_.clear();
  ReleaseBlocks();
  group_start_ = 0;
}

RejectedMessage X12InboundMapper::Overruled(const std::string& set_id, const std::string& control,
                                            const std::string& group, SetOrigin origin, int verdict) const {
  RejectedMessage r;
  r.origin = std::move(origin);
  r.what = SetName(set_id, control, group) + ": not mapped";
  r.errors.push_back(verdicts_[static_cast<size_t>(verdict)]);
  return r;
}

void X12InboundMapper::ReleaseBlocks() {
  held_text_.store(0, std::memory_order_relaxed);
  std::lock_guard lock(blocks_mu_);
  for (auto& lane : lanes_) {
    for (std::string& b : lane->blocks) free_blocks_.push_back(std::move(b));
    lane->blocks.clear();
    lane->text_len = 0;
  }
}

void X12InboundMapper::MaybeSpill() {
  // A held set costs its event text and about this much besides (its Held entry and strings).
  constexpr size_t kHeldEntryBytes = 512;
  if (spill_failed_ || held_text_.load(std::memory_order_relaxed) + held_.size() * kHeldEntryBytes <= options_.hold_bytes) {
    return;
  }
  if (workers_ != nullptr) workers_->AwaitAll();  // no set is mapping: held_ and the lanes are ours
  if (spill_ == nullptr) spill_ = std::make_unique<HeldSpill>();
  SpilledSet r;
  for (const Held& h : held_) {
    r.rejected = h.rejected;
    r.handed_to_mapping = h.mapping != nullptr;
    r.verdict = h.verdict;
    r.type = h.mapping != nullptr ? h.mapping->type : std::string();
    r.set_id = h.set_id;
    r.control = h.control;
    r.group = h.group;
    if (h.rejected) {
      r.origin = h.rejection.origin;
      r.what = h.rejection.what;
      r.errors = h.rejection.errors;
      r.event.clear();
      r.key.clear();
      r.explain.clear();
    } else {
      const std::string& text = lanes_[static_cast<size_t>(h.lane)]->blocks[h.block];
      r.origin = h.origin;
      r.event.assign(text, h.event_begin, h.event_end - h.event_begin);
      r.key.assign(text, h.event_end, h.key_end - h.event_end);
      r.explain.assign(text, h.key_end, h.explain_end - h.key_end);
      r.what.clear();
      r.errors.clear();
    }
    spill_->Add(r);
  }
  if (!spill_->Commit(held_.size())) {
    spill_failed_ = true;
    sink_.OnWarning("could not write held sets to a temporary file (TMPDIR): the rest of interchange " +
                    interchange_.control + " is held in memory");
    return;
  }
  spilled_ += held_.size();
  spilled_total_ += held_.size();
  held_.clear();
  ReleaseBlocks();
}

void X12InboundMapper::DeliverSpilled(SpilledSet& r, size_t index) {
  int verdict = r.verdict;
  if (verdict < 0 && r.handed_to_mapping) {
    for (const SpilledVerdict& v : spilled_verdicts_) {
      if (index >= v.from && index < v.to) {
        verdict = v.verdict;
        break;
      }
    }
  }
  if (!r.rejected && verdict >= 0) {
    sink_.OnRejected(Overruled(r.set_id, r.control, r.group, std::move(r.origin), verdict));
    return;
  }
  if (r.rejected) {
    sink_.OnRejected(RejectedMessage{std::move(r.what), std::move(r.errors), std::move(r.origin)});
    return;
  }
  MappedMessage m;
  m.type = r.type;
  m.event = r.event;
  m.idempotency_key = r.key;
  m.explain = r.explain;
  m.origin = &r.origin;
  sink_.OnMapped(m);
}

void X12InboundMapper::OnFileError(const edi::Error& error) {
  RejectedMessage r;
  // Before any ISA the input is not X12; after one, the bytes are outside every interchange
  // (the interchanges before them were mapped).
  r.what = options_.source.file + (saw_interchange_ ? ": data outside an interchange" : ": not X12");
  r.errors.push_back(error.Describe());
  sink_.OnRejected(std::move(r));
}

void X12InboundMapper::Finish() { Deliver(); }

}  // namespace gateway::mapping
