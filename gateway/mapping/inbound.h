// Inbound mapping: X12 sets and XML documents to canonical events (CloudEvents, one JSON
// line each). X12InboundMapper listens to edi::Validate: it buffers each set in a SetTree,
// maps it once its SE shows it accepted, and holds the event until the group and
// interchange verdicts (a group rejected at GE or an interchange rejected at IEA rejects
// every set in it). XmlInboundMapper maps the documents of an XML file by XPath.
//
// Mapping costs several times what validating does, so with `map_threads` the accepted sets
// are mapped on other threads while the caller's thread goes on validating. Nothing the sink
// sees changes: every callback still comes on the caller's thread, in file order, at the
// same point (the IEA), because the mapper waits there for its interchange's sets.
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "edi/validator.h"
#include "gateway/canonical/cloudevent.h"
#include "gateway/mapping/mapping.h"
#include "gateway/mapping/set_tree.h"
#include "gateway/partners/profile.h"

namespace gateway::mapping {

// Where a message sits in its file, so the daemon can spool each set on its own (and find it
// again when the file is processed a second time).
struct SetOrigin {
  int64_t index = -1;            // ordinal of the set (or XML document) in the file, from 0; -1: the file
  std::string set_id;            // ST01 ("945"), or the XML mapping's document name
  std::string isa13, gs06, st02;  // empty for XML
  std::string key_type;          // the type in the idempotency key ("945")
  std::vector<std::string> business_key;  // the key's parts; empty when the set was not mapped
};

// Views valid during the OnMapped call only (the mapper reuses its buffers).
struct MappedMessage {
  std::string_view type;             // canonical type
  std::string_view idempotency_key;
  std::string_view event;            // the CloudEvent, one line of JSON (no newline)
  std::string_view explain;          // --explain: which rule produced each field
  const SetOrigin* origin = nullptr;
};

struct RejectedMessage {
  std::string what;
  std::vector<std::string> errors;
  SetOrigin origin;
};

// Receives mapped and rejected messages, in file order.
class InboundSink {
 public:
  virtual ~InboundSink() = default;
  virtual void OnMapped(const MappedMessage& message) = 0;
  virtual void OnRejected(RejectedMessage message) = 0;
  virtual void OnWarning(const std::string& message) = 0;
};

struct InboundOptions {
  const partners::PartnerProfile* profile = nullptr;
  // Inbound mappings by transaction set id ("945") or XML document name.
  std::map<std::string, std::shared_ptr<const Mapping>> mappings;
  canonical::EdiSource source;  // file name and sha256; control numbers are filled per set
  bool explain = false;
  // Threads that map sets besides the caller's (0: every set is mapped on the caller's
  // thread, at its SE). The caller's thread also maps whenever it would otherwise wait.
  unsigned map_threads = 0;
  // Sets are mapped by the mapping's SetPlan, and by the Evaluator only when the plan gives
  // up (set_plan.h). false: every set by the Evaluator (tests compare the two).
  bool compiled = true;
  // Held sets past this many bytes (events and bookkeeping) go to a temporary file until
  // their interchange is delivered (held_spill.h): an interchange of any size maps in
  // bounded memory.
  size_t hold_bytes = size_t{48} << 20;
};

// The map_threads worth starting for an input of `bytes` (unknown: nullopt): none for small
// inputs, where starting threads costs more than it saves.
unsigned MapThreadsFor(std::optional<uint64_t> bytes);

// Loads the inbound mappings a profile names.
Result<std::map<std::string, std::shared_ptr<const Mapping>>> LoadInboundMappings(const partners::PartnerProfile& profile);

class HeldSpill;
struct SpilledSet;

class X12InboundMapper final : public edi::ValidationSink {
 public:
  X12InboundMapper(InboundOptions options, InboundSink& sink);
  ~X12InboundMapper() override;

  void OnInterchangeStart(const edi::InterchangeInfo& info) override;
  void OnGroupStart(const edi::GroupInfo& info) override;
  void OnSetStart(const edi::SetInfo& info) override;
  void OnSetSegment(const edi::Segment& segment, const edi::SegmentContext& context) override;
  void OnSetEnd(const edi::SetResult& set) override;
  void OnGroupEnd(const edi::GroupResult& group) override;
  void OnInterchangeEnd(const edi::InterchangeResult& ix) override;
  void OnFileError(const edi::Error& error) override;

  // Delivers anything still held (an interchange cut off before its IEA is reported as
  // rejected by the validator's verdict; this only flushes).
  void Finish();

  // Sets mapped so far by a SetPlan (the others went through the Evaluator).
  size_t compiled_sets() const { return compiled_sets_.load(std::memory_order_relaxed); }
  // Held sets written to the temporary file so far (InboundOptions::hold_bytes).
  size_t spilled_sets() const { return spilled_total_; }

 private:
  // A set's outcome, held until its group and interchange are judged. Mapped events are
  // ranges of their lane's text (blocks per mapping thread, reused for each interchange),
  // so holding costs no allocation.
  struct Held {
    bool rejected = false;
    const Mapping* mapping = nullptr;
    SetTree* tree = nullptr;  // while the set waits to be mapped
    int lane = 0;
    size_t block = 0;  // of the lane's text
    int verdict = -1;  // verdicts_ entry of the first group or interchange rejection
    size_t event_begin = 0, event_end = 0, key_end = 0, explain_end = 0;  // key and explain follow the event
    std::string set_id, control, group, time;
    RejectedMessage rejection;
    SetOrigin origin;
  };
  struct Lane;
  class Workers;
  SetOrigin Origin() const;
  std::string SetName(const std::string& set_id, const std::string& control, const std::string& group) const;
  // Maps h's set (h.tree) into lane's text; runs on any thread, touching only h and lane.
  void MapSet(Held& h, Lane& lane);
  void RejectHeld(size_t from, const std::string& why);
  // A block for a lane's text (Lane::blocks), from the pool when there is one; any thread.
  std::string TakeBlock();
  // Waits for the held sets to be mapped (mapping some of them meanwhile), then hands them
  // to the sink in order and starts the next interchange's holding afresh.
  void Deliver();
  // Held sets past options_.hold_bytes: waits for them to be mapped and moves them to spill_.
  void MaybeSpill();
  void DeliverSpilled(SpilledSet& r, size_t index);
  // A mapped set that its group's or interchange's verdict (verdicts_[verdict]) rejects.
  RejectedMessage Overruled(const std::string& set_id, const std::string& control, const std::string& group,
                            SetOrigin origin, int verdict) const;
  // The lanes' text blocks back to the pool (nothing held points into them any more).
  void ReleaseBlocks();

  InboundOptions options_;
  InboundSink& sink_;
  edi::InterchangeInfo interchange_;
  bool saw_interchange_ = false;  // an ISA was read: later bytes outside one are not "not X12"
  edi::GroupInfo group_;
  edi::SetInfo set_;
  int64_t set_index_ = -1;  // sets seen in the file so far, minus one
  const Mapping* mapping_ = nullptr;
  std::set<std::string> warned_senders_;
  SetTree* tree_ = nullptr;  // the set being read
  std::unique_ptr<SetTree> own_tree_;  // tree_ without workers
  // This interchange's sets, in order (a deque: workers fill entries while more are added).
  std::deque<Held> held_;
  std::vector<std::string> verdicts_;  // why sets were rejected after they were mapped
  // Held sets of this interchange already in spill_ (they come before held_); indexes of
  // held sets count them first. A verdict on sets of which some were spilled is kept as the
  // range of indexes it covers and applied when they are read back.
  std::unique_ptr<HeldSpill> spill_;
  size_t spilled_ = 0;
  bool spill_failed_ = false;  // the temporary file failed once: hold in memory from then on
  size_t spilled_total_ = 0;
  struct SpilledVerdict {
    size_t from, to;
    int verdict;
  };
  std::vector<SpilledVerdict> spilled_verdicts_;
  std::atomic<size_t> held_text_{0};  // bytes of held events in the lanes' blocks
  size_t group_start_ = 0;   // index of the current group's first held set
  std::string time_;         // the group's GS04/GS05 as RFC 3339
  std::vector<std::unique_ptr<Lane>> lanes_;  // lane 0: the caller's thread
  std::unique_ptr<Workers> workers_;          // null without map_threads
  std::atomic<size_t> compiled_sets_{0};
  std::mutex blocks_mu_;
  std::vector<std::string> free_blocks_;  // lanes' text blocks between interchanges
};

// Maps every document of an XML file (`bytes`) with the profile's XML mappings.
void MapXmlFile(std::string_view bytes, const InboundOptions& options, InboundSink& sink);

// True when a file's first bytes start an XML document: '<' after an optional UTF-8 byte order
// mark and blank space, or the same in UTF-16 (with or without its byte order mark), as .NET
// and other Windows tools write XML. X12 starts with "ISA" and is never taken for XML.
bool LooksLikeXml(std::string_view head);

}  // namespace gateway::mapping
