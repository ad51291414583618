// Issue 5, outbound end to end: an order POSTed to the API becomes a valid 940 in the partner's
// folder; the partner's 997 becomes an order_acknowledgment event and acknowledges the order;
// its 945 fulfils it; an order without a 997 past the deadline shows on the gauge and alerts;
// a TA1 rejecting the 940's interchange rejects the order and tells the OMS why.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "edi/ack.h"
#include "edi/byte_source.h"
#include "gateway/canonical/json_schema.h"
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

// The state of spool message `id`, through the API.
std::string State(Harness& h, const std::string& id) {
  return nlohmann::json::parse(h.Http("GET", "/v1/messages/" + id, "", {"Authorization: Bearer " + h.token()}).body)["state"];
}

// Events the OMS received that contain `needle`.
size_t Delivered(Harness& h, const std::string& needle) {
  size_t n = 0;
  for (const auto& r : h.oms().Received()) {
    if (r.body.find(needle) != std::string::npos) ++n;
  }
  return n;
}

// An order POSTed and its 940 in the partner's folder, with the 940's control numbers.
struct SentOrder {
  std::string id;  // spool message id
  std::string x940;
  std::string isa13, gs06, st02;
};
SentOrder PostAndAwait940(Harness& h, const std::string& order_id) {
  SentOrder o;
  const auto accepted = h.PostOrder(Order(order_id), "key-" + order_id);
  if (accepted.status != 202) throw std::runtime_error("order refused: " + accepted.body);
  o.id = std::to_string(nlohmann::json::parse(accepted.body)["id"].get<long long>());
  if (!WaitFor([&] { return !Only940(h).empty(); })) throw std::runtime_error("no 940:\n" + h.Log());
  o.x940 = x12test::ReadFile(Only940(h));
  const x12test::Collected sent = x12test::ValidateText(o.x940);
  if (sent.sets.size() != 1 || sent.groups.size() != 1) throw std::runtime_error("not one 940:\n" + o.x940);
  o.isa13 = o.x940.substr(90, 9);
  o.gs06 = sent.groups[0].info.control;
  o.st02 = sent.sets[0].info.control;
  return o;
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
  ASSERT_TRUE(WaitFor([&] { return State(h, std::to_string(id)) == "acknowledged"; })) << h.Log();
  // We never acknowledge their 997: the pickup folder holds only our 940.
  EXPECT_EQ(Harness::Files(h.outbound()).size(), 1u);

  // The 945 for the order closes it.
  x12test::IsaFields isa;
  isa.control = "000009001";
  h.Drop("ship-500.edi", x12test::Interchange({x12test::Set945("0001", "SO-500", "SHP-500")}, "SW", isa, "91"));
  ASSERT_TRUE(WaitFor([&] { return State(h, std::to_string(id)) == "fulfilled"; })) << h.Log();
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

TEST(DaemonOutbound, A997ThatZeroPadsOurControlNumbersStillFindsTheOrder) {
  HarnessOptions o;
  o.sftp = false;
  Harness h(o);
  h.Start();
  const SentOrder sent = PostAndAwait940(h, "SO-900");
  const std::string &gs06 = sent.gs06, &st02 = sent.st02;
  // AK102 and AK202 padded to 9 digits, as some translators write them.
  std::string ack = PartnerAck(sent.x940);
  const auto pad = [](const std::string& n) { return std::string(9 - n.size(), '0') + n; };
  const std::string ak1 = "AK1*OW*" + gs06 + "~", ak2 = "AK2*940*" + st02 + "~";
  ASSERT_NE(ack.find(ak1), std::string::npos) << ack;
  ASSERT_NE(ack.find(ak2), std::string::npos) << ack;
  ack.replace(ack.find(ak1), ak1.size(), "AK1*OW*" + pad(gs06) + "~");
  ack.replace(ack.find(ak2), ak2.size(), "AK2*940*" + pad(std::to_string(std::stoll(st02))) + "~");
  h.Drop("ack-padded.edi", ack);
  ASSERT_TRUE(WaitFor([&] { return State(h, sent.id) == "acknowledged"; })) << h.Log();
  EXPECT_EQ(h.Count("997 names no 940 of ours"), 0u) << h.Log();
  EXPECT_EQ(h.Stop(), 0);
}

// A partner on 005010 answers with a 999 instead of a 997: the same order_acknowledgment, the
// same effect on the order.
TEST(DaemonOutbound, A999RejectingOur940RejectsTheOrder) {
  HarnessOptions o;
  o.sftp = false;
  Harness h(o);
  h.Start();
  const SentOrder sent = PostAndAwait940(h, "SO-990");
  x12test::IsaFields isa;
  isa.version = "00501";
  isa.isa11 = "^";  // the repetition separator from 00402 on
  isa.control = "000007101";
  const std::string set = "ST*999*0001*005010X231A1~\nAK1*OW*" + sent.gs06 + "*004010~\nAK2*940*" + sent.st02 +
                          "~\nIK3*W05*2**8~\nIK4*2*324*7*X~\nIK5*R*I5~\nAK9*R*1*1*0~\nSE*8*0001~\n";
  h.Drop("ack.999", x12test::Isa(isa) + "~\nGS*FA*RENO3PL*OMSGATEWAY*20261127*1200*71*X*005010X231A1~\n" + set +
                        "GE*1*71~\nIEA*1*000007101~\n");
  ASSERT_TRUE(WaitFor([&] { return State(h, sent.id) == "rejected"; })) << h.Log();
  EXPECT_TRUE(WaitFor([&] { return Delivered(h, "acme:999:OW:") == 1; })) << h.Log();
  EXPECT_GE(h.Count("the partner's 999 rejected our 940"), 1u) << h.Log();
  const x12test::CommandResult show = h.Spool({"show", sent.id, "--json"});
  EXPECT_NE(show.out.find("999 rejected: IK5 rejected"), std::string::npos) << show.out;
  EXPECT_EQ(h.Count("set quarantined"), 0u) << h.Log();
  EXPECT_EQ(h.Stop(), 0);
}

TEST(DaemonOutbound, ADelimiterInANameIsReplacedWithAWarningAndInASkuRefusesTheOrder) {
  HarnessOptions o;
  o.sftp = false;
  Harness h(o);
  h.Start();
  nlohmann::json order = nlohmann::json::parse(Order("SO-950"));
  order["ship_to"]["name"] = "Smith*Jones ~ Co";
  const auto accepted = h.PostOrder(order.dump(), "key-950");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const nlohmann::json body = nlohmann::json::parse(accepted.body);
  ASSERT_TRUE(body.contains("warnings")) << accepted.body;
  EXPECT_NE(body["warnings"][0].get<std::string>().find("$.ship_to.name (N102)"), std::string::npos) << accepted.body;
  ASSERT_TRUE(WaitFor([&] { return !Only940(h).empty(); })) << h.Log();
  const std::string x940 = x12test::ReadFile(Only940(h));
  EXPECT_NE(x940.find("N1*ST*Smith Jones   Co*"), std::string::npos) << x940;
  EXPECT_EQ(x12test::ValidateText(x940).sets.at(0).status, 'A') << x940;
  EXPECT_GE(h.Count("order data changed for X12"), 1u) << h.Log();

  order["order_id"] = "SO-951";
  order["lines"][0]["sku"] = "TEE~BLK";
  const auto refused = h.PostOrder(order.dump(), "key-951");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("$.lines[0].sku (W0105)"), std::string::npos) << refused.body;
  EXPECT_EQ(h.Stop(), 0);
}

// The partner's interchange of TA1s only (ISA, TA1s, IEA*0), from them to us.
std::string PartnerTa1s(const std::vector<std::string>& ta1s, const std::string& control) {
  x12test::IsaFields isa;
  isa.control = control;
  std::string text = x12test::Isa(isa) + "~\n";
  for (const std::string& t : ta1s) text += t + "~\n";
  return text + "IEA*0*" + control + "~\n";
}

TEST(DaemonOutbound, ATa1RejectingOurInterchangeRejectsItsOrderAndTellsTheOms) {
  HarnessOptions o;
  o.sftp = false;
  Harness h(o);
  h.Start();
  const SentOrder sent = PostAndAwait940(h, "SO-800");
  const std::string& isa13 = sent.isa13;
  const auto state = [&] { return State(h, sent.id); };

  // An accepting TA1 changes nothing: the 997 is still to come.
  h.Drop("ta1-accepted.edi", PartnerTa1s({"TA1*" + isa13 + "*261127*1200*A*000"}, "000007001"));
  ASSERT_TRUE(WaitFor([&] { return h.Count("interchange accepted by the partner (TA1)") == 1; })) << h.Log();
  EXPECT_EQ(state(), "uploaded");

  // The rejecting one, with TA101 unpadded as some partners write it, and beside it one about
  // an interchange we never sent.
  const std::string unpadded = std::to_string(std::stoll(isa13));
  const std::string rejecting = PartnerTa1s({"TA1*" + unpadded + "*261127*1205*R*024", "TA1*999999999*261127*1205*R*024"},
                                            "000007002");
  h.Drop("ta1-rejected.edi", rejecting);
  ASSERT_TRUE(WaitFor([&] { return state() == "rejected"; })) << h.Log();
  ASSERT_TRUE(WaitFor([&] { return Delivered(h, ":TA1:") == 1; })) << h.Log();
  EXPECT_EQ(h.Count("TA1 names no interchange of ours"), 1u) << h.Log();
  EXPECT_GE(h.Count("alert=order_rejected"), 1u) << h.Log();

  // The OMS hears it as it would hear a 997 rejecting the order, with the TA1's reason.
  nlohmann::json event;
  for (const auto& r : h.oms().Received()) {
    if (r.body.find(":TA1:") != std::string::npos) event = nlohmann::json::parse(r.body);
  }
  EXPECT_EQ(event["type"], "order_acknowledgment");
  EXPECT_EQ(event["idempotencykey"], "acme:TA1:" + isa13 + ":2611271205");
  EXPECT_EQ(event["time"], "2026-11-27T12:05:00Z");
  const nlohmann::json& data = event["data"];
  EXPECT_EQ(data["group_status"], "rejected");
  EXPECT_EQ(data["partner_group_control"], sent.gs06);
  ASSERT_EQ(data["sets"].size(), 1u) << data.dump();
  EXPECT_EQ(data["sets"][0]["control"], sent.st02);
  EXPECT_EQ(data["sets"][0]["status"], "rejected");
  EXPECT_EQ(data["interchange_control"], isa13);
  EXPECT_EQ(data["interchange_note_code"], "024");
  EXPECT_EQ(data["interchange_note"], "Invalid Interchange Content (e.g., Invalid GS Segment)");
  const nlohmann::json* schema = gateway::canonical::CanonicalSchema("order_acknowledgment");
  ASSERT_NE(schema, nullptr);
  std::vector<std::string> errors;
  EXPECT_TRUE(gateway::canonical::CheckJsonSchema(*schema, event, &errors)) << event.dump();
  // The order's history says who rejected it and why.
  const x12test::CommandResult history = h.Spool({"show", sent.id, "--json"});
  EXPECT_NE(history.out.find("TA1 rejected: TA1 R 024: Invalid Interchange Content"), std::string::npos)
      << history.out << history.err;

  // An operator finds the order by the number the TA1 names, as the partner wrote it.
  const x12test::CommandResult listed = h.Spool({"list", "--isa13", unpadded, "--direction", "outbound", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  ASSERT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 1) << listed.out;
  EXPECT_EQ(nlohmann::json::parse(listed.out)["id"].dump(), sent.id) << listed.out;

  // The same TA1 sent again in another interchange is the same event: not delivered twice.
  h.Drop("ta1-rejected-again.edi",
         PartnerTa1s({"TA1*" + unpadded + "*261127*1205*R*024", "TA1*999999999*261127*1205*R*024"}, "000007003"));
  ASSERT_TRUE(WaitFor([&] { return h.Count("TA1 names no interchange of ours") == 2; })) << h.Log();
  ASSERT_TRUE(WaitFor([&] { return h.Count("file parsed") >= 3; })) << h.Log();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(Delivered(h, ":TA1:"), 1u);
  EXPECT_EQ(state(), "rejected");
  EXPECT_EQ(h.Stop(), 0);
}

}  // namespace
}  // namespace daemontest
