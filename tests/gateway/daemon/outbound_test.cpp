// Issue 5, outbound end to end: an order POSTed to the API becomes a valid 940 in the partner's
// folder; the partner's 997 becomes an order_acknowledgment event and acknowledges the order;
// its 945 fulfils it; an order without a 997 past the deadline shows on the gauge and alerts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "edi/ack.h"
#include "edi/byte_source.h"
#include "tests/gateway/daemon/daemon_harness.h"
#include "tests/support/x12_text.h"

namespace daemontest {
namespace {

std::string Order(const std::string& id, const std::string& warehouse = "RENO1") {
  nlohmann::json o = nlohmann::json::parse(x12test::ReadFile(std::string(EDIGATE_SOURCE_DIR) + "/examples/orders/SO-10047.json"));
  o["order_id"] = id;
  o["warehouse"] = warehouse;
  return o.dump();
}

// The 997 the partner sends back for our 940 (built by our own AckBuilder, addressed from them).
std::string PartnerAck(const std::string& our_940) {
  edi::AckOptions options;
  options.envelope = [](const edi::InterchangeInfo&) { return edi::AckEnvelope{7001, 71, 1, "20261127", "1200"}; };
  edi::AckBuilder builder(options);
  edi::MemorySource src(our_940);
  edi::Validate(src, builder);
  auto acks = builder.Take();
  return acks.empty() ? "" : acks[0].bytes;
}

std::string Only940(const Harness& h) {
  for (const auto& f : Harness::Files(h.outbound())) {
    if (f.find("940") != std::string::npos) return h.outbound() + "/" + f;
  }
  return "";
}

TEST(DaemonOutbound, AnOrderBecomesA940ItsAckAnEventAndIts945FulfilsIt) {
  Harness h;
  h.Start();
  const auto accepted = h.PostOrder(Order("SO-500"), "key-500");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const auto id = nlohmann::json::parse(accepted.body)["id"].get<long long>();
  ASSERT_TRUE(WaitFor([&] { return !Only940(h).empty(); })) << h.Log();
  const std::string x940 = x12test::ReadFile(Only940(h));
  // A valid 940 for this order, from us to the partner.
  const x12test::Collected v = x12test::ValidateText(x940);
  ASSERT_EQ(v.sets.size(), 1u) << x940;
  EXPECT_EQ(v.sets[0].status, 'A') << x940;
  EXPECT_NE(x940.find("W05*N*SO-500*"), std::string::npos) << x940;
  EXPECT_NE(x940.find("*ZZ*OMSGATEWAY     *ZZ*RENO3PL        *"), std::string::npos) << x940;
  auto msg = nlohmann::json::parse(h.Http("GET", "/v1/messages/" + std::to_string(id), "",
                                          {"Authorization: Bearer " + h.token()}).body);
  EXPECT_EQ(msg["state"], "uploaded") << msg.dump();
  EXPECT_FALSE(msg["ack_due_at"].is_null());

  // The partner acknowledges it.
  h.Drop("ack-940.edi", PartnerAck(x940));
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& r : h.oms().Received()) {
      if (r.body.find("\"order_acknowledgment\"") != std::string::npos) return true;
    }
    return false;
  })) << h.Log();
  ASSERT_TRUE(WaitFor([&] {
    auto m = nlohmann::json::parse(h.Http("GET", "/v1/messages/" + std::to_string(id), "", {"Authorization: Bearer " + h.token()}).body);
    return m["state"] == "acknowledged";
  })) << h.Log();
  // We never acknowledge their 997: the pickup folder holds only our 940.
  EXPECT_EQ(Harness::Files(h.outbound()).size(), 1u);

  // The 945 for the order closes it.
  x12test::IsaFields isa;
  isa.control = "000009001";
  h.Drop("ship-500.edi", x12test::Interchange({x12test::Set945("0001", "SO-500", "SHP-500")}, "SW", isa, "91"));
  ASSERT_TRUE(WaitFor([&] {
    auto m = nlohmann::json::parse(h.Http("GET", "/v1/messages/" + std::to_string(id), "", {"Authorization: Bearer " + h.token()}).body);
    return m["state"] == "fulfilled";
  })) << h.Log();
  EXPECT_TRUE(WaitFor([&] { return h.oms().CountKey("acme:945:SO-500:SHP-500") == 1; })) << h.Log();
  EXPECT_EQ(h.Stop(), 0);
}

TEST(DaemonOutbound, IdempotencyKeySemantics) {
  HarnessOptions o;
  o.sftp = false;
  Harness h(o);
  h.Start();
  const auto first = h.PostOrder(Order("SO-600"), "key-600");
  ASSERT_EQ(first.status, 202) << first.body;
  const auto again = h.PostOrder(Order("SO-600"), "key-600");
  EXPECT_EQ(again.status, 202);
  EXPECT_EQ(nlohmann::json::parse(again.body)["id"], nlohmann::json::parse(first.body)["id"]);
  const auto other = h.PostOrder(Order("SO-601"), "key-600");
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_NE(other.body.find("idempotency_key_reused"), std::string::npos);
  // Another key, same order id, different content: a correction we refuse loudly.
  nlohmann::json changed = nlohmann::json::parse(Order("SO-600"));
  changed["lines"][0]["quantity"] = 99;
  const auto conflict = h.PostOrder(changed.dump(), "key-600-b");
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_NE(conflict.body.find("order_conflict"), std::string::npos);
  // Another key, same order, same content: the same order.
  const auto same = h.PostOrder(Order("SO-600"), "key-600-c");
  EXPECT_EQ(same.status, 202) << same.body;
  EXPECT_EQ(nlohmann::json::parse(same.body)["id"], nlohmann::json::parse(first.body)["id"]);
  const auto no_key = h.Http("POST", "/v1/fulfillment-orders", Order("SO-602"),
                             {"Authorization: Bearer " + h.token(), "Content-Type: application/json"});
  EXPECT_EQ(no_key.status, 400) << no_key.body;
  const auto bad_token = h.Http("POST", "/v1/fulfillment-orders", Order("SO-603"),
                                {"Authorization: Bearer nope", "Idempotency-Key: k", "Content-Type: application/json"});
  EXPECT_EQ(bad_token.status, 401);
  EXPECT_EQ(bad_token.body.find(h.token()), std::string::npos);
  const auto unknown = h.PostOrder(Order("SO-604", "NOWHERE"), "key-604");
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_NE(unknown.body.find("NOWHERE"), std::string::npos);
  nlohmann::json broken = nlohmann::json::parse(Order("SO-605"));
  broken["lines"][0].erase("sku");
  const auto invalid = h.PostOrder(broken.dump(), "key-605");
  EXPECT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_NE(invalid.body.find("sku"), std::string::npos) << invalid.body;
  // One order, one 940, whatever the retries.
  ASSERT_TRUE(WaitFor([&] { return !Only940(h).empty(); })) << h.Log();
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(Harness::Files(h.outbound()).size(), 1u);
  EXPECT_EQ(h.Stop(), 0);
}

TEST(DaemonOutbound, No997ByTheDeadlineShowsOnTheGaugeAndAlerts) {
  HarnessOptions o;
  o.sftp = false;
  o.ack_deadline = "2s";
  Harness h(o);
  h.Start();
  ASSERT_EQ(h.PostOrder(Order("SO-700"), "key-700").status, 202);
  ASSERT_TRUE(WaitFor([&] { return !Only940(h).empty(); })) << h.Log();
  EXPECT_EQ(h.Metric("edigate_orders_awaiting_997_overdue{partner=\"acme\"}"), 0);
  ASSERT_TRUE(WaitFor([&] { return h.Metric("edigate_orders_awaiting_997_overdue{partner=\"acme\"}") == 1; }, 10s))
      << h.Metrics();
  ASSERT_TRUE(WaitFor([&] { return h.Count("alert=ack_overdue") >= 1; }, 10s)) << h.Log();
  // The 997 arrives late: the gauge goes back to 0.
  h.Drop("late-ack.edi", PartnerAck(x12test::ReadFile(Only940(h))));
  ASSERT_TRUE(WaitFor([&] { return h.Metric("edigate_orders_awaiting_997_overdue{partner=\"acme\"}") == 0; })) << h.Log();
  EXPECT_EQ(h.Stop(), 0);
}

}  // namespace
}  // namespace daemontest
