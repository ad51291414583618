// A partner's TA1 about one of our interchanges. TA101 names the interchange (our ISA13);
// TA104 R rejects it whole: none of its sets reached the partner's translator, so an order
// we sent in it will never get a 997 or a 945. Waiting for the 997 deadline would tell the
// OMS hours late and without the reason, so a rejecting TA1 that names an interchange of
// our 940s becomes the order_acknowledgment a 997 rejecting every set would have given
// (group_status "rejected", with the TA105 note), delivered to the OMS and applied to the
// orders by the same path as a 997's. An accepting TA1 (A, E) says nothing about the sets:
// their 997 follows.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edi/ack.h"
#include "gateway/canonical/cloudevent.h"
#include "spool/spool.h"

namespace gateway::daemon {

// Our control numbers as a partner's acknowledgment echoes them, back in the form we wrote
// them: TA101 as our ISA13 ("%09d": some partners drop the leading zeros), AK102 as our GS06
// ("%d") and AK202 as our ST02 ("%04d": some translators zero-pad both to 9 digits).
std::string OurInterchangeControl(std::string_view ta101);
std::string OurGroupControl(std::string_view ak102);
std::string OurSetControl(std::string_view ak202);

struct Ta1Event {
  std::vector<std::string> business_key;  // TA101, TA102 + TA103: a TA1 sent twice is one event
  std::string idempotency_key;            // <partner>:TA1:<TA101>:<TA102TA103>
  std::string event;                      // the order_acknowledgment CloudEvent (one line)
  size_t orders = 0;                      // 940s it rejects
};

// The event for `ta1` given `ours`, the outbound messages of the interchange it names;
// nullopt when it rejects no 940 (it accepts, or the interchange held our 997s).
std::optional<Ta1Event> OrderAcknowledgmentFromTa1(std::string_view partner, const edi::InterchangeAck& ta1,
                                                   const std::vector<spool::ItemSummary>& ours,
                                                   const canonical::EdiSource& source);

// "TA1 R 024: Invalid Interchange Content (e.g., Invalid GS Segment)", for logs and audit.
std::string DescribeTa1(const edi::InterchangeAck& ta1);

}  // namespace gateway::daemon
