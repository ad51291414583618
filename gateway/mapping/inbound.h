// Inbound mapping: X12 sets and XML documents to canonical events (CloudEvents, one JSON
// line each). X12InboundMapper listens to edi::Validate: it buffers one set at a time in a
// SetTree, maps it at its SE when the set is accepted, and holds the event until the group
// and interchange verdicts (a group rejected at GE or an interchange rejected at IEA rejects
// every set in it). XmlInboundMapper maps the documents of an XML file by XPath.
#pragma once

#include <map>
#include <memory>
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
};

// Loads the inbound mappings a profile names.
Result<std::map<std::string, std::shared_ptr<const Mapping>>> LoadInboundMappings(const partners::PartnerProfile& profile);

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

 private:
  // A set's outcome, held until its group and interchange are judged. Mapped events are
  // ranges of text_ (one buffer per interchange, reused), so holding costs no allocation.
  struct Held {
    bool rejected = false;
    const Mapping* mapping = nullptr;
    size_t event_begin = 0, event_end = 0, key_end = 0, explain_end = 0;  // key and explain follow the event
    std::string set_id, control, group;
    RejectedMessage rejection;
    SetOrigin origin;
  };
  SetOrigin Origin() const;
  std::string SetName() const;
  void MapSet(const Mapping& mapping);
  void RejectHeld(size_t from, const std::string& why);
  void Deliver();

  InboundOptions options_;
  InboundSink& sink_;
  edi::InterchangeInfo interchange_;
  edi::GroupInfo group_;
  edi::SetInfo set_;
  int64_t set_index_ = -1;  // sets seen in the file so far, minus one
  const Mapping* mapping_ = nullptr;
  std::set<std::string> warned_senders_;
  SetTree tree_;
  std::vector<Held> held_;   // this interchange's sets, in order
  size_t group_start_ = 0;   // first entry of the current group in held_
  // The held events, keys and explanations: the first text_len_ bytes of text_. Its size
  // only grows (to the largest interchange's text), so writing into it never zero-fills.
  std::string text_;
  size_t text_len_ = 0;
  std::string time_;         // the group's GS04/GS05 as RFC 3339
  struct Scratch;
  std::unique_ptr<Scratch> scratch_;
};

// Maps every document of an XML file (`bytes`) with the profile's XML mappings.
void MapXmlFile(std::string_view bytes, const InboundOptions& options, InboundSink& sink);

}  // namespace gateway::mapping
