// The partner's TA1 about our interchanges, and our control numbers as acknowledgments echo
// them (interchange_ack.h). End to end: DaemonOutbound.ATa1RejectingOurInterchange...
#include "gateway/daemon/interchange_ack.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace {

using namespace gateway::daemon;

spool::ItemSummary Ours(const std::string& type, const std::string& gs06, const std::string& st02) {
  spool::ItemSummary m;
  m.kind = spool::ItemKind::kMessage;
  m.direction = spool::Direction::kOutbound;
  m.type = type;
  m.control_numbers = {"000000123", gs06, st02};
  return m;
}

TEST(InterchangeAck, ControlNumbersComeBackInTheFormWeWroteThem) {
  EXPECT_EQ(OurInterchangeControl("123"), "000000123");
  EXPECT_EQ(OurInterchangeControl("000000123"), "000000123");
  EXPECT_EQ(OurInterchangeControl("12A"), "12A");  // not a number: as it is (matches nothing)
  EXPECT_EQ(OurGroupControl("000000311"), "311");
  EXPECT_EQ(OurGroupControl("311"), "311");
  EXPECT_EQ(OurSetControl("000000001"), "0001");
  EXPECT_EQ(OurSetControl("1"), "0001");
  EXPECT_EQ(OurSetControl("3110002"), "3110002");
  EXPECT_EQ(OurSetControl("A001"), "A001");
  EXPECT_EQ(OurSetControl(""), "");
}

TEST(InterchangeAck, OnlyARejectionOf940sBecomesAnEvent) {
  gateway::canonical::EdiSource src{"ta1.edi", std::string(64, 'a'), "000007001", "", ""};
  edi::InterchangeAck ta1{"123", "261127", "1205", "006", 'R'};
  const std::vector<spool::ItemSummary> orders = {Ours("940", "5", "0001"), Ours("940", "5", "0002")};
  auto e = OrderAcknowledgmentFromTa1("acme", ta1, orders, src);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->orders, 2u);
  EXPECT_EQ(e->idempotency_key, "acme:TA1:000000123:2611271205");
  const nlohmann::json ev = nlohmann::json::parse(e->event);
  EXPECT_EQ(ev["time"], "2026-11-27T12:05:00Z");
  EXPECT_EQ(ev["data"]["partner_group_control"], "5");
  EXPECT_EQ(ev["data"]["sets"].size(), 2u);
  EXPECT_EQ(ev["data"]["group_errors"][0], "TA1 R 006: Invalid Interchange Sender ID");

  ta1.status = 'A';
  EXPECT_FALSE(OrderAcknowledgmentFromTa1("acme", ta1, orders, src).has_value());
  ta1.status = 'R';
  EXPECT_FALSE(OrderAcknowledgmentFromTa1("acme", ta1, {Ours("997", "9", "0001")}, src).has_value());
  // A malformed TA102/TA103 leaves the time out instead of inventing one.
  ta1.date = "20261127";
  e = OrderAcknowledgmentFromTa1("acme", ta1, orders, src);
  ASSERT_TRUE(e.has_value());
  EXPECT_FALSE(nlohmann::json::parse(e->event).contains("time"));
}

}  // namespace
