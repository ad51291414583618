// Issue 5, inbound end to end: a 945 dropped on the partner's SFTP server becomes exactly one
// event per set at the OMS, the 997 lands in the partner's pickup folder, duplicates are
// recorded and not delivered, a file still being written waits, a wrong host key is refused.
#include <gtest/gtest.h>

#include "edi/ack.h"
#include "edi/byte_source.h"
#include "tests/gateway/daemon/daemon_harness.h"
#include "tests/support/x12_text.h"

namespace daemontest {
namespace {

using x12test::Interchange;
using x12test::IsaFields;
using x12test::Set945;

std::string TwoShipments(const std::string& isa13 = "000004001") {
  IsaFields isa;
  isa.control = isa13;
  return Interchange({Set945("0001", "SO-1", "SHP-1"), Set945("0002", "SO-2", "SHP-2")}, "SW", isa, "41");
}

edi::AckDocument ReadAck(const std::string& path) {
  edi::AckReader reader;
  const std::string text = x12test::ReadFile(path);
  edi::MemorySource src(text);
  edi::Validate(src, reader);
  return reader.document();
}

std::vector<std::string> Keys(const oms_stub::OmsStub& stub) {
  std::vector<std::string> keys;
  for (const auto& r : stub.Received()) keys.push_back(r.idempotency_key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

TEST(DaemonInbound, SftpDropBecomesOneEventPerSetAndA997ForThePartner) {
  Harness h;
  h.Start();
  h.Drop("ship-1.edi", TwoShipments());
  ASSERT_TRUE(WaitFor([&] { return h.oms().RequestCount() >= 2; })) << h.Log();
  ASSERT_TRUE(WaitFor([&] { return !Harness::Files(h.outbound()).empty(); })) << h.Log();
  // Give a wrong second delivery the chance to happen before counting.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(Keys(h.oms()), (std::vector<std::string>{"acme:945:SO-1:SHP-1", "acme:945:SO-2:SHP-2"}));
  for (const auto& r : h.oms().Received()) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.content_type, "application/cloudevents+json");
    EXPECT_NE(r.body.find("\"type\":\"shipment_confirmation\""), std::string::npos) << r.body;
  }
  // The partner's 997 accepts both sets of group 41, addressed from us to them.
  const auto files = Harness::Files(h.outbound());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_NE(files[0].find("997"), std::string::npos);
  const std::string ack_text = x12test::ReadFile(h.outbound() + "/" + files[0]);
  EXPECT_NE(ack_text.find("*ZZ*OMSGATEWAY     *ZZ*RENO3PL        *"), std::string::npos) << ack_text;
  const edi::AckDocument ack = ReadAck(h.outbound() + "/" + files[0]);
  ASSERT_EQ(ack.groups.size(), 1u);
  EXPECT_EQ(ack.groups[0].group_control, "41");
  EXPECT_EQ(ack.groups[0].StatusOf("0001"), 'A');
  EXPECT_EQ(ack.groups[0].StatusOf("0002"), 'A');
  // The partner's copy was archived only after the spool had it.
  EXPECT_TRUE(Harness::Files(h.inbound()).empty());
  EXPECT_EQ(Harness::Files(h.archive()), std::vector<std::string>{"ship-1.edi"});
  EXPECT_EQ(h.Stop(), 0) << h.Log();
}

TEST(DaemonInbound, TheSameFileAgainIsRecordedAsADuplicateAndNotDelivered) {
  Harness h;
  h.Start();
  const std::string file = TwoShipments();
  h.Drop("ship-1.edi", file);
  ASSERT_TRUE(WaitFor([&] { return h.oms().RequestCount() >= 2; })) << h.Log();
  ASSERT_TRUE(WaitFor([&] { return Harness::Files(h.inbound()).empty(); })) << h.Log();
  // Same bytes under a new name, then under the old name again.
  h.Drop("ship-1-again.edi", file);
  ASSERT_TRUE(WaitFor([&] { return h.Count("duplicate file") >= 1; })) << h.Log();
  h.Drop("ship-1.edi", file);
  ASSERT_TRUE(WaitFor([&] { return h.Count("duplicate file") >= 2; })) << h.Log();
  // The same interchange with a new ISA13 and the same shipments: a business duplicate.
  h.Drop("ship-1-resent.edi", TwoShipments("000004002"));
  ASSERT_TRUE(WaitFor([&] { return h.Count("business duplicate") >= 2; })) << h.Log();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(h.oms().RequestCount(), 2u) << h.Log();
  // Visible to operators: two duplicate files, two duplicate messages.
  const auto dup_files = h.Spool({"list", "--kind", "file", "--state", "duplicate", "--json"});
  EXPECT_EQ(std::count(dup_files.out.begin(), dup_files.out.end(), '\n'), 2) << dup_files.out << dup_files.err;
  const auto dup_msgs = h.Spool({"list", "--kind", "message", "--state", "duplicate", "--json"});
  EXPECT_EQ(std::count(dup_msgs.out.begin(), dup_msgs.out.end(), '\n'), 2) << dup_msgs.out << dup_msgs.err;
  EXPECT_EQ(h.Stop(), 0);
}

TEST(DaemonInbound, AFileStillBeingWrittenIsNotTakenUntilStable) {
  HarnessOptions o;
  o.stable_for = "2s";
  Harness h(o);
  h.Start();
  const std::string file = TwoShipments();
  const std::string path = h.inbound() + "/growing.edi";
  // The partner writes under the final name, slowly: a quarter of the file every 700 ms, so
  // its size changes more often than stable_for (2 s) allows.
  const size_t quarter = file.size() / 4;
  for (int i = 0; i < 4; ++i) {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << file.substr(i * quarter, i == 3 ? std::string::npos : quarter);
    out.close();
    std::this_thread::sleep_for(700ms);
    if (i < 3) {
      EXPECT_EQ(h.Count("file received"), 0u) << "taken while still growing:\n" << h.Log();
    }
  }
  ASSERT_TRUE(WaitFor([&] { return h.oms().RequestCount() >= 2; })) << h.Log();
  EXPECT_EQ(h.Count("file received"), 1u);
  EXPECT_NE(h.Log().find("bytes=" + std::to_string(file.size())), std::string::npos) << h.Log();
  EXPECT_EQ(h.Count("set quarantined"), 0u) << h.Log();
  EXPECT_EQ(h.Stop(), 0);
}

TEST(DaemonInbound, AWrongHostKeyIsRefusedAlertedAndNothingIsDownloaded) {
  HarnessOptions o;
  o.wrong_host_key = true;
  Harness h(o);
  h.Drop("ship-1.edi", TwoShipments());
  h.Start();
  ASSERT_TRUE(WaitFor([&] { return h.Count("alert=host_key_rejected") >= 1; })) << h.Log();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(h.Count("file received"), 0u);
  EXPECT_EQ(Harness::Files(h.inbound()), std::vector<std::string>{"ship-1.edi"});
  EXPECT_EQ(h.oms().RequestCount(), 0u);
  EXPECT_GE(h.Metric("edigate_alerts_total{alert=\"host_key_rejected\",partner=\"acme\"}"), 1) << h.Metrics();
  EXPECT_EQ(h.Stop(), 0);
}

TEST(DaemonInbound, ABadSetIsQuarantinedAndRejectedInThe997WhileTheGoodOneIsDelivered) {
  Harness h;
  h.Start();
  std::string bad = Set945("0002", "SO-2", "SHP-2");
  bad.replace(bad.find("W27*M*"), 6, "W27**");  // W27-01 is mandatory
  IsaFields isa;
  h.Drop("mixed.edi", Interchange({Set945("0001", "SO-1", "SHP-1"), bad}, "SW", isa, "41"));
  ASSERT_TRUE(WaitFor([&] { return h.oms().RequestCount() >= 1 && !Harness::Files(h.outbound()).empty(); })) << h.Log();
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(Keys(h.oms()), std::vector<std::string>{"acme:945:SO-1:SHP-1"});
  const edi::AckDocument ack = ReadAck(h.outbound() + "/" + Harness::Files(h.outbound())[0]);
  ASSERT_EQ(ack.groups.size(), 1u);
  EXPECT_EQ(ack.groups[0].status, 'P');
  EXPECT_EQ(ack.groups[0].StatusOf("0001"), 'A');
  EXPECT_EQ(ack.groups[0].StatusOf("0002"), 'R');
  const auto q = h.Spool({"list", "--kind", "message", "--state", "quarantined", "--json"});
  EXPECT_NE(q.out.find("W27"), std::string::npos) << q.out << q.err;
  EXPECT_EQ(h.Metric("edigate_messages_quarantined{partner=\"acme\"}"), 1) << h.Metrics();
  EXPECT_EQ(h.Stop(), 0);
}

// A file of a few MiB is mapped on several threads (mapping::MapThreadsFor); every set still
// reaches the OMS exactly once and the one that cannot be mapped is quarantined.
TEST(DaemonInbound, ABigFileIsMappedOnSeveralThreadsWithEverySetDeliveredOnce) {
  Harness h;
  h.Start();
  std::string file;
  constexpr int kInterchanges = 2, kSets = 1500;
  for (int i = 0; i < kInterchanges; ++i) {
    std::vector<std::string> sets;
    for (int k = 0; k < kSets; ++k) {
      const std::string n = std::to_string(i * kSets + k);
      std::string set = Set945(std::to_string(1000 + k), "SO-" + n, "SHP-" + n, 3);
      if (i == 1 && k == 700) set.replace(set.find("W12*CC*"), 7, "W12*ZZ*");  // no such line status: not mapped
      sets.push_back(set);
    }
    IsaFields isa;
    isa.control = std::to_string(4001 + i);
    isa.control.insert(0, 9 - isa.control.size(), '0');
    file += Interchange(sets, "SW", isa, std::to_string(41 + i));
  }
  ASSERT_GT(file.size(), size_t{1} << 20);  // large enough for mapping threads
  h.Drop("big.edi", file);
  ASSERT_TRUE(WaitFor([&] { return h.oms().RequestCount() >= kInterchanges * kSets - 1; }, 120s)) << h.Log();
  std::this_thread::sleep_for(1500ms);
  const std::vector<std::string> keys = Keys(h.oms());
  EXPECT_EQ(keys.size(), size_t{kInterchanges * kSets - 1});
  EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end()) << "a set was delivered twice";
  EXPECT_FALSE(std::binary_search(keys.begin(), keys.end(), "acme:945:SO-2200:SHP-2200"));
  const auto q = h.Spool({"list", "--kind", "message", "--state", "quarantined", "--json"});
  EXPECT_EQ(std::count(q.out.begin(), q.out.end(), '\n'), 1) << q.out << q.err;
  EXPECT_NE(q.out.find("ZZ"), std::string::npos) << q.out;
  EXPECT_EQ(h.Stop(), 0);
}

TEST(DaemonInbound, NotX12IsQuarantinedWithTheReasonAndACopyGoesToTheErrorFolder) {
  HarnessOptions o;
  o.sftp = false;  // same semantics on a local folder
  o.extra_transport = "  error_dir: rejected\n";
  Harness h(o);
  h.Start();
  h.Drop("notes.edi", "hello, this is not an interchange\n");
  ASSERT_TRUE(WaitFor([&] { return h.Count("alert=file_quarantined") >= 1; })) << h.Log();
  EXPECT_NE(h.Log().find("not X12"), std::string::npos);
  const std::string rejected = h.root() + "/drop/rejected/notes.edi";
  ASSERT_TRUE(WaitFor([&] { return fs::exists(rejected); })) << h.Log();
  EXPECT_EQ(x12test::ReadFile(rejected), "hello, this is not an interchange\n");
  EXPECT_EQ(h.Metric("edigate_files_quarantined{partner=\"acme\"}"), 1) << h.Metrics();
  EXPECT_EQ(h.oms().RequestCount(), 0u);
  EXPECT_TRUE(Harness::Files(h.outbound()).empty());
  EXPECT_EQ(h.Stop(), 0);
}

}  // namespace
}  // namespace daemontest
