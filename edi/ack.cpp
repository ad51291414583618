#include "edi/ack.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "edi/writer.h"

namespace edi {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return std::string(s);
}

std::string SetControl(uint64_t n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04llu", static_cast<unsigned long long>(n % 1000000000ULL));
  return buf;
}

// AK404 must not carry delimiters or control characters of the outbound interchange.
std::string CleanCopy(std::string_view v, const Delimiters& d) {
  std::string out;
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == d.element || c == d.component || c == d.repetition ||
        (d.terminator.size() == 1 && c == d.terminator[0])) {
      continue;
    }
    out.push_back(c);
  }
  return out.substr(0, 99);
}

bool Is5010(std::string_view version) { return version.substr(0, 6) >= "005010"; }

}  // namespace

AckBuilder::AckBuilder(AckOptions options) : options_(std::move(options)) {}

void AckBuilder::OnInterchangeStart(const InterchangeInfo&) { groups_.clear(); }

void AckBuilder::OnGroupStart(const GroupInfo& info) {
  groups_.push_back(GroupAckData{info, {}, {}});
}

void AckBuilder::OnSetEnd(const SetResult& set) {
  if (groups_.empty()) return;
  SetAckData d;
  d.id = set.info.id;
  d.control = Trim(set.info.control);
  d.reference = set.info.implementation_reference;
  d.status = set.status;
  d.codes = set.ak5_codes;
  for (const Error& e : set.errors) {
    if (!e.segment_code.empty() && e.segment_position > 0) d.errors.push_back(e);
  }
  groups_.back().sets.push_back(std::move(d));
}

void AckBuilder::OnGroupEnd(const GroupResult& group) {
  if (!groups_.empty()) groups_.back().result = group;
}

void AckBuilder::OnInterchangeEnd(const InterchangeResult& ix) {
  if (ix.only_acknowledgments) return;  // never acknowledge an acknowledgment
  const InterchangeInfo& in = ix.info;
  const bool want_ta1 = in.ack_requested || ix.ta1_status == 'R';
  std::vector<const GroupAckData*> acked;
  for (const GroupAckData& g : groups_) {
    if (g.info.functional_id != "FA") acked.push_back(&g);
  }
  if (!want_ta1 && acked.empty()) return;

  AckEnvelope env;
  if (options_.envelope) {
    env = options_.envelope(in);
  } else {
    env.date = (in.date.size() == 6 ? "20" : "") + in.date;
    env.time = in.time;
  }
  Delimiters d;
  if (options_.use_inbound_delimiters && in.delimiters.terminator.size() == 1 &&
      in.delimiters.component != 0) {
    d = in.delimiters;
  } else if (!options_.use_inbound_delimiters) {
    d = options_.delimiters;
  }
  if (in.version < "00402") d.repetition = 0;
  const std::string suffix = d.terminator_is_line_break() ? "" : options_.segment_suffix;

  InterchangeHeader h;
  h.sender_qualifier = options_.sender_qualifier.empty() ? in.receiver_qualifier : options_.sender_qualifier;
  h.sender_id = options_.sender_id.empty() ? in.receiver_id : options_.sender_id;
  h.receiver_qualifier = in.sender_qualifier;
  h.receiver_id = in.sender_id;
  h.date = env.date.size() == 8 ? env.date.substr(2) : env.date;
  h.time = env.time.substr(0, 4);
  h.version = in.version.size() == 5 ? in.version : "00401";
  h.control = env.interchange_control;
  h.usage = in.usage.size() == 1 ? in.usage[0] : 'P';

  InterchangeWriter w(h, d, suffix);
  if (want_ta1) {
    std::string date = in.date.size() == 6 ? in.date : "000000";
    std::string time = in.time.size() == 4 ? in.time : "0000";
    w.Ta1(in.control, date, time, ix.ta1_status, ix.ta1_code);
  }

  // One FA group per (version, application sender, receiver) of the groups acknowledged.
  std::map<std::string, std::vector<const GroupAckData*>> by_key;
  std::vector<std::string> order;
  for (const GroupAckData* g : acked) {
    const std::string version = g->info.version.size() >= 6 ? g->info.version.substr(0, 6) : "004010";
    const std::string key = version + "\x1f" + g->info.sender + "\x1f" + g->info.receiver;
    if (!by_key.count(key)) order.push_back(key);
    by_key[key].push_back(g);
  }
  uint64_t group_control = env.group_control;
  uint64_t set_control = env.set_control;
  size_t set_acks = 0;
  for (const std::string& key : order) {
    const auto& gs = by_key[key];
    const GroupInfo& first = gs.front()->info;
    GroupHeader gh;
    gh.functional_id = "FA";
    gh.sender = options_.application_sender.empty() ? first.receiver : options_.application_sender;
    gh.receiver = first.sender;
    gh.date = env.date;
    gh.time = env.time.substr(0, 4);
    gh.control = group_control++;
    gh.version = first.version.size() >= 6 ? first.version.substr(0, 6) : "004010";
    const bool v5010 = Is5010(gh.version);
    w.BeginGroup(gh);
    for (const GroupAckData* g : gs) {
      SegmentWriter& b = w.body();
      w.BeginSet("997", SetControl(set_control++));
      ++set_acks;
      b.Write("AK1", {g->info.functional_id, Trim(g->info.control), v5010 ? g->info.version : ""});
      for (const SetAckData& s : g->sets) {
        if (s.status == 'A' && !options_.ak2_for_accepted_sets) continue;
        b.Write("AK2", {s.id, s.control, v5010 ? s.reference : ""});
        size_t notes = 0;
        uint32_t last_position = 0;
        bool last_was_element_note = false;
        for (const Error& e : s.errors) {
          const bool element_error = !e.element_code.empty();
          if (element_error && last_was_element_note && e.segment_position == last_position) {
            // another AK4 under the same AK3
          } else {
            if (++notes > options_.max_ak3_per_set) break;
            b.Write("AK3", {e.segment, std::to_string(e.segment_position), e.loop,
                            element_error ? "8" : e.segment_code});
          }
          last_position = e.segment_position;
          last_was_element_note = element_error;
          if (element_error) {
            std::string pos = std::to_string(e.element);
            if (e.component > 0) pos += std::string(1, d.component) + std::to_string(e.component);
            b.Write("AK4", {pos, e.element_ref, e.element_code,
                            e.element_code == "1" ? "" : CleanCopy(e.bad_value, d)});
          }
        }
        std::vector<std::string> ak5{std::string(1, s.status)};
        for (const std::string& c : s.codes) ak5.push_back(c);
        if (s.status == 'R' && s.codes.empty()) ak5.push_back("5");
        b.Write("AK5", ak5);
      }
      const GroupResult& r = g->result;
      std::vector<std::string> ak9{std::string(1, r.ak9), r.declared_sets.empty() ? "0" : r.declared_sets,
                                   std::to_string(r.received_sets), std::to_string(r.accepted_sets)};
      for (const std::string& c : r.ak9_codes) ak9.push_back(c);
      b.Write("AK9", ak9);
      w.EndSet();
    }
    w.EndGroup();
  }
  Acknowledgment ack;
  ack.interchange_index = in.index;
  ack.to = in.sender();
  ack.group_acks = set_acks;
  ack.ta1 = want_ta1;
  Result<std::string> bytes = w.Finish();
  if (bytes.ok()) {
    ack.bytes = std::move(bytes.value());
  } else {
    ack.status = bytes.error();
  }
  acks_.push_back(std::move(ack));
}

}  // namespace edi
