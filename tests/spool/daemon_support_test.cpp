// The spool features the daemon relies on: messages that start mapped or quarantined, API
// Idempotency-Keys, claims per partner and type, shipments closing orders, lease hand-back and
// breaking a dead worker's leases, and the per-partner gauges.
#include <chrono>

#include "tests/spool/spool_fixture.h"

namespace spool::testing {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using M = MessageState;

class DaemonSupportTest : public SpoolTest {
 protected:
  InboundMessage Set(ItemId file, int64_t index, std::vector<std::string> key, M state) {
    InboundMessage m;
    m.file_id = file;
    m.set_index = index;
    m.partner = "acme";
    m.type = "945";
    m.business_key = std::move(key);
    m.control_numbers = {"000000007", "7", "000" + std::to_string(index)};
    m.payload = "{\"n\":" + std::to_string(index) + "}";
    m.initial_state = state;
    return m;
  }
  OutboundOrder Order(const std::string& id, const std::string& request_key, const std::string& hash,
                      const std::string& partner = "acme") {
    OutboundOrder o;
    o.partner = partner;
    o.type = "940";
    o.business_key = {id};
    o.payload = "{}";
    o.ack_within = hours(4);
    o.ship_within = hours(48);
    o.request_key = request_key;
    o.request_hash = hash;
    return o;
  }
};

TEST_F(DaemonSupportTest, InboundSetsStartMappedOrQuarantinedWithTheirReason) {
  const IngestResult file = Ingest("acme", "ISA...");
  std::vector<InboundMessage> sets = {Set(file.id, 0, {"SO-1", "S1"}, M::kMapped),
                                      Set(file.id, 1, {"SO-2", "S2"}, M::kQuarantined)};
  sets[1].note = "W12 line 3: quantity 'x' is not a number";
  auto added = Must(spool_->AddInboundMessages(sets, Actor::Daemon()));
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0].state, M::kMapped);
  EXPECT_EQ(added[1].state, M::kQuarantined);
  const ItemSummary q = Must(spool_->Get(added[1].id));
  EXPECT_EQ(q.last_error, sets[1].note);
  EXPECT_FALSE(q.next_attempt_at.has_value());
  // Only the mapped one is due: a quarantined set waits for a human even when asked for.
  ClaimRequest c;
  c.worker = "w";
  c.limit = 10;
  c.states = {M::kMapped, M::kQuarantined};
  auto leases = Must(spool_->Claim(c));
  ASSERT_EQ(leases.size(), 1u);
  EXPECT_EQ(leases[0].id, added[0].id);
  // A state the daemon never starts a set in is refused.
  std::vector<InboundMessage> bad = {Set(file.id, 2, {"SO-3", "S3"}, M::kDelivered)};
  EXPECT_EQ(spool_->AddInboundMessages(bad, Actor::Daemon()).status().code(), Code::kInvalidArgument);
}

TEST_F(DaemonSupportTest, ABusinessDuplicateStaysADuplicateEvenWhenMapped) {
  const IngestResult f1 = Ingest("acme", "one");
  const IngestResult f2 = Ingest("acme", "two");
  std::vector<InboundMessage> a = {Set(f1.id, 0, {"SO-1", "S1"}, M::kMapped)};
  std::vector<InboundMessage> b = {Set(f2.id, 0, {"SO-1", "S1"}, M::kMapped)};
  const AddedMessage first = Must(spool_->AddInboundMessages(a, Actor::Daemon())).at(0);
  const AddedMessage again = Must(spool_->AddInboundMessages(b, Actor::Daemon())).at(0);
  EXPECT_EQ(first.state, M::kMapped);
  EXPECT_EQ(again.state, M::kDuplicate);
  EXPECT_EQ(again.duplicate_of, first.id);
  EXPECT_EQ(again.idempotency_key, first.idempotency_key);
}

TEST_F(DaemonSupportTest, IdempotencyKeySameBodySameMessageOtherBodyRefused) {
  const AddedMessage a = Must(spool_->AcceptOutbound(Order("SO-1", "key-1", "hash-a"), Actor::Api()));
  EXPECT_FALSE(a.existed);
  const AddedMessage again = Must(spool_->AcceptOutbound(Order("SO-1", "key-1", "hash-a"), Actor::Api()));
  EXPECT_TRUE(again.existed);
  EXPECT_EQ(again.id, a.id);
  EXPECT_EQ(again.idempotency_key, a.idempotency_key);
  auto other = spool_->AcceptOutbound(Order("SO-2", "key-1", "hash-b"), Actor::Api());
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), Code::kRejected);
  EXPECT_NE(other.status().message().find("key-1"), std::string::npos);
  // Nothing was written for the refused request: SO-2 is not an order.
  ListFilter f;
  f.kind = ItemKind::kMessage;
  EXPECT_EQ(Must(spool_->List(f)).size(), 1u);
  // A new key for an order we already hold is the same order, and that key is remembered too.
  const AddedMessage k2 = Must(spool_->AcceptOutbound(Order("SO-1", "key-2", "hash-c"), Actor::Api()));
  EXPECT_TRUE(k2.existed);
  EXPECT_EQ(k2.id, a.id);
  EXPECT_EQ(spool_->AcceptOutbound(Order("SO-1", "key-2", "hash-d"), Actor::Api()).status().code(), Code::kRejected);
  // Keys survive a restart.
  Reopen();
  EXPECT_EQ(Must(spool_->AcceptOutbound(Order("SO-1", "key-1", "hash-a"), Actor::Api())).id, a.id);
}

TEST_F(DaemonSupportTest, ClaimsFilterByPartnerAndType) {
  Must(spool_->AcceptOutbound(Order("SO-1", "", "", "acme"), Actor::Api()));
  Must(spool_->AcceptOutbound(Order("SO-2", "", "", "zeta"), Actor::Api()));
  OutboundOrder ack = Order("ack-1", "", "", "zeta");
  ack.type = "997";
  Must(spool_->AcceptOutbound(ack, Actor::Daemon()));
  ClaimRequest c;
  c.worker = "w";
  c.limit = 10;
  c.direction = Direction::kOutbound;
  c.partner = "zeta";
  auto zeta = Must(spool_->Claim(c));
  EXPECT_EQ(zeta.size(), 2u);
  for (const Lease& l : zeta) ASSERT_OK(spool_->ReleaseLease(ItemKind::kMessage, l.id, l.token));
  c.types = {"997"};
  auto acks = Must(spool_->Claim(c));
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(*Must(spool_->Get(acks[0].id)).type, "997");
  c.partner = "acme";
  EXPECT_TRUE(Must(spool_->Claim(c)).empty());
}

TEST_F(DaemonSupportTest, AShipmentFulfilsTheUploadedOrAcknowledgedOrderOnce) {
  const ItemId id = Must(spool_->AcceptOutbound(Order("SO-7", "", ""), Actor::Api())).id;
  ShipmentReport ship;
  ship.partner = "acme";
  ship.business_key = {"SO-7"};
  // Not uploaded yet: nothing to close.
  EXPECT_FALSE(Must(spool_->ApplyShipment(ship)).has_value());
  Must(spool_->Render(id, 0, [](const ControlNumbers&) -> Result<std::string> { return std::string("x"); },
                      Actor::Daemon()));
  ASSERT_OK(Move(id, M::kRendered, M::kUploaded));
  clock_.Advance(hours(49));
  EXPECT_EQ(Must(spool_->GetStats()).overdue_ships, 1);
  EXPECT_EQ(Must(spool_->ApplyShipment(ship)), std::optional<ItemId>(id));
  EXPECT_EQ(State(id), "fulfilled");
  EXPECT_EQ(Must(spool_->GetStats()).overdue_ships, 0);
  EXPECT_FALSE(Must(spool_->ApplyShipment(ship)).has_value());
  ship.partner = "zeta";
  EXPECT_FALSE(Must(spool_->ApplyShipment(ship)).has_value());
}

TEST_F(DaemonSupportTest, ReleasedAndBrokenLeasesMakeWorkClaimableAtOnce) {
  const IngestResult f = Ingest("acme", "bytes");
  ClaimRequest c;
  c.kind = ItemKind::kFile;
  c.worker = "host:111";
  c.limit = 5;
  c.lease = std::chrono::minutes(5);
  auto leases = Must(spool_->Claim(c));
  ASSERT_EQ(leases.size(), 1u);
  c.worker = "host:222";
  EXPECT_TRUE(Must(spool_->Claim(c)).empty());
  EXPECT_EQ(Must(spool_->LeaseOwners()), std::vector<std::string>{"host:111"});
  // A wrong token releases nothing.
  ASSERT_OK(spool_->ReleaseLease(ItemKind::kFile, f.id, leases[0].token + 1));
  EXPECT_TRUE(Must(spool_->Claim(c)).empty());
  // Breaking the dead worker's leases: claimable now, not in five minutes, and audited.
  EXPECT_EQ(Must(spool_->BreakLeases("host:111", Actor::Daemon(), "pid 111 is gone")), 1);
  auto again = Must(spool_->Claim(c));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, f.id);
  EXPECT_EQ(Must(spool_->BreakLeases("host:111", Actor::Daemon(), "")), 0);
  ASSERT_OK(spool_->ReleaseLease(ItemKind::kFile, f.id, again[0].token));
  EXPECT_TRUE(Must(spool_->LeaseOwners()).empty());
}

TEST_F(DaemonSupportTest, GaugesArePerPartner) {
  const ItemId a = Must(spool_->AcceptOutbound(Order("SO-1", "", "", "acme"), Actor::Api())).id;
  Must(spool_->AcceptOutbound(Order("SO-2", "", "", "zeta"), Actor::Api()));
  Must(spool_->Render(a, 0, [](const ControlNumbers&) -> Result<std::string> { return std::string("x"); },
                      Actor::Daemon()));
  ASSERT_OK(Move(a, M::kRendered, M::kUploaded));
  clock_.Advance(hours(5));
  const Stats s = Must(spool_->GetStats());
  ASSERT_EQ(s.partners.size(), 2u);
  EXPECT_EQ(s.partners[0].partner, "acme");
  EXPECT_EQ(s.partners[0].overdue_acks, 1);
  EXPECT_FALSE(s.partners[0].oldest_pending_age.has_value());  // uploaded is not pending work
  EXPECT_EQ(s.partners[1].partner, "zeta");
  EXPECT_EQ(s.partners[1].overdue_acks, 0);
  ASSERT_TRUE(s.partners[1].oldest_pending_age.has_value());
  EXPECT_EQ(*s.partners[1].oldest_pending_age, hours(5));
}

}  // namespace
}  // namespace spool::testing
