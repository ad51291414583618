// Issue 5, the seams that lose money: the OMS down and back, permanent refusals, and SIGKILL of
// edigate at the worst moments (mid-download, after the spool commit, after the OMS answered,
// after an upload), then a restart: nothing lost, nothing delivered twice. The OMS stub plays an
// idempotent OMS: the first request with a key is 200, a repeat is 409 "already have it".
#include <gtest/gtest.h>

#include <mutex>

#include <nlohmann/json.hpp>

#include "tests/gateway/daemon/daemon_harness.h"
#include "tests/support/x12_text.h"

namespace daemontest {
namespace {

using x12test::Interchange;
using x12test::IsaFields;
using x12test::Set945;

std::string Shipments(int count, const std::string& isa13 = "000004001") {
  std::vector<std::string> sets;
  for (int i = 1; i <= count; ++i) {
    char control[16];
    std::snprintf(control, sizeof control, "%04d", i);
    sets.push_back(Set945(control, "SO-" + std::to_string(i), "SHP-" + std::to_string(i)));
  }
  IsaFields isa;
  isa.control = isa13;
  return Interchange(sets, "SW", isa, "41");
}

// An OMS that deduplicates by Idempotency-Key, and remembers what it answered.
class IdempotentOms {
 public:
  explicit IdempotentOms(oms_stub::OmsStub& stub) {
    stub.SetHandler([this](const oms_stub::Request& r) {
      std::lock_guard lock(mu_);
      oms_stub::Response resp;
      resp.status = seen_.insert(r.idempotency_key).second ? 200 : 409;
      if (resp.status == 200) ++accepted_[r.idempotency_key];
      ++requests_[r.idempotency_key];
      return resp;
    });
  }
  std::map<std::string, int> accepted() {
    std::lock_guard lock(mu_);
    return accepted_;
  }
  int requests(const std::string& key) {
    std::lock_guard lock(mu_);
    return requests_[key];
  }

 private:
  std::mutex mu_;
  std::set<std::string> seen_;
  std::map<std::string, int> accepted_, requests_;
};

std::map<std::string, int> Expected(int count) {
  std::map<std::string, int> m;
  for (int i = 1; i <= count; ++i) m["acme:945:SO-" + std::to_string(i) + ":SHP-" + std::to_string(i)] = 1;
  return m;
}

TEST(DaemonReliability, OmsDownThenUpIsDeliveredAfterRetries) {
  Harness h;
  std::atomic<bool> up{false};
  std::atomic<int> refused{0};
  h.oms().SetHandler([&](const oms_stub::Request&) {
    oms_stub::Response r;
    if (!up.load()) {
      r.status = 503;
      ++refused;
    }
    return r;
  });
  h.Start();
  h.Drop("ship.edi", Shipments(1));
  ASSERT_TRUE(WaitFor([&] { return refused.load() >= 2; })) << h.Log();
  // The daemon logs each failure after the OMS answered it: wait for the log, not the stub.
  EXPECT_TRUE(WaitFor([&] { return h.Count("delivery failed, will retry") >= 2; })) << h.Log();
  up = true;
  ASSERT_TRUE(WaitFor([&] { return h.Count("delivered partner=acme") >= 1; })) << h.Log();
  const auto delivered = h.Spool({"list", "--kind", "message", "--state", "delivered", "--json"});
  EXPECT_NE(delivered.out.find("acme:945:SO-1:SHP-1"), std::string::npos) << delivered.out << delivered.err;
  EXPECT_EQ(h.Stop(), 0);
}

TEST(DaemonReliability, OmsAnswering422IsADeadLetterAtOnceAndVisible) {
  Harness h;
  h.oms().SetHandler([](const oms_stub::Request&) {
    oms_stub::Response r;
    r.status = 422;
    r.body = R"({"error":"unknown order"})";
    return r;
  });
  h.Start();
  h.Drop("ship.edi", Shipments(1));
  ASSERT_TRUE(WaitFor([&] { return h.Count("alert=dead_letter") >= 1; })) << h.Log();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(h.oms().RequestCount(), 1u) << "a permanent refusal is not retried";
  EXPECT_EQ(h.Metric("edigate_dead_letters{partner=\"acme\"}"), 1) << h.Metrics();
  const auto dead = h.Spool({"list", "--state", "dead", "--json"});
  EXPECT_NE(dead.out.find("422"), std::string::npos) << dead.out << dead.err;
  EXPECT_EQ(h.Stop(), 0);
}

class CrashTest : public ::testing::TestWithParam<const char*> {};

TEST_P(CrashTest, Sigkill_ThenRestart_NothingLostNothingDeliveredTwice) {
  const std::string point = GetParam();
  Harness h;
  IdempotentOms oms(h.oms());
  constexpr int kSets = 20;
  h.Drop("ship.edi", Shipments(kSets));
  h.Start({{"EDIGATE_CRASH_AT", point}});
  ASSERT_TRUE(h.WaitForExit()) << "the crash point '" << point << "' was never reached:\n" << h.Log();
  EXPECT_EQ(h.exit_code(), 128 + SIGKILL);
  h.Start();  // no crash point this time
  ASSERT_TRUE(WaitFor([&] { return oms.accepted().size() == static_cast<size_t>(kSets); }, 30s)) << h.Log();
  std::this_thread::sleep_for(1500ms);
  // Every shipment reached the OMS, and each was accepted exactly once.
  EXPECT_EQ(oms.accepted(), Expected(kSets));
  int requests = 0;
  for (const auto& [key, n] : Expected(kSets)) requests += oms.requests(key);
  if (point == "after_post") {
    // The OMS answered an event before the crash and edigate never recorded it: that event (and
    // any other in flight on the 4 delivery workers) is sent again with the same key, and the
    // OMS says it already has it. Nothing else repeats.
    EXPECT_GE(requests, kSets + 1);
    EXPECT_LE(requests, kSets + 4);
  } else if (point == "after_upload") {
    // Deliveries run while the 997 uploads: the kill may also land between an OMS answer and
    // its record, for at most one event per delivery worker (4), each re-sent with its key.
    EXPECT_GE(requests, kSets);
    EXPECT_LE(requests, kSets + 4);
  } else {
    // Killed before any delivery started: every event is sent exactly once.
    EXPECT_EQ(requests, kSets);
  }
  // One 997 for the file, whatever happened.
  const std::vector<std::string> uploaded = Harness::Files(h.outbound());
  std::string names;
  for (const std::string& f : uploaded) names += f + " ";
  EXPECT_EQ(uploaded.size(), 1u) << names;
  EXPECT_EQ(h.Stop(), 0) << h.Log();
}

INSTANTIATE_TEST_SUITE_P(DaemonReliability, CrashTest,
                         ::testing::Values("download", "after_spool_commit", "after_post", "after_upload"));

// A big file is mapped on mapping threads while its first sets are already in the spool and on
// their way to the OMS. SIGKILL there (mid_file: right after the first batch of sets is
// committed), then a restart that processes the file again from the start.
TEST(DaemonReliability, SigkillMidBigFile_ThenRestart_NothingLostNothingDeliveredTwice) {
  Harness h;
  IdempotentOms oms(h.oms());
  constexpr int kInterchanges = 10, kSetsEach = 100, kSets = kInterchanges * kSetsEach;
  std::string file;
  for (int x = 0; x < kInterchanges; ++x) {
    std::vector<std::string> sets;
    for (int i = x * kSetsEach + 1; i <= (x + 1) * kSetsEach; ++i) {
      char control[16];
      std::snprintf(control, sizeof control, "%04d", i);
      sets.push_back(Set945(control, "SO-" + std::to_string(i), "SHP-" + std::to_string(i), 10));
    }
    IsaFields isa;
    isa.control = "00000" + std::to_string(5000 + x);
    file += Interchange(sets, "SW", isa, std::to_string(41 + x));
  }
  // Big enough for the mapping threads (gateway::mapping::MapThreadsFor), which the kill stops
  // in the middle of their work.
  ASSERT_GE(file.size(), size_t{1} << 20);
  h.Drop("big.edi", file);
  h.Start({{"EDIGATE_CRASH_AT", "mid_file"}});
  ASSERT_TRUE(h.WaitForExit()) << h.Log();
  EXPECT_EQ(h.exit_code(), 128 + SIGKILL);
  EXPECT_LT(oms.accepted().size(), static_cast<size_t>(kSets)) << "killed after the whole file was delivered";
  h.Start();
  ASSERT_TRUE(WaitFor([&] { return oms.accepted().size() == static_cast<size_t>(kSets); }, 90s))
      << oms.accepted().size() << " of " << kSets << " accepted\n" << h.Log();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(oms.accepted(), Expected(kSets));
  // Sets the OMS answered just before the kill, unrecorded, are sent again with their key (at
  // most one per delivery worker); nothing else repeats.
  int requests = 0;
  for (const auto& [key, n] : Expected(kSets)) requests += oms.requests(key);
  EXPECT_GE(requests, kSets);
  EXPECT_LE(requests, kSets + 4);
  // One 997 per interchange, though the file was processed twice.
  EXPECT_EQ(Harness::Files(h.outbound()).size(), static_cast<size_t>(kInterchanges));
  // Each set is one message in the spool, stored once although both runs mapped it.
  const auto stored = h.Spool({"list", "--kind", "message", "--type", "945", "--limit", "5000", "--json"});
  EXPECT_EQ(std::count(stored.out.begin(), stored.out.end(), '\n'), kSets) << stored.err;
  EXPECT_EQ(h.Stop(), 0) << h.Log();
}

TEST(DaemonReliability, SigtermDrainsAndARestartCarriesOn) {
  Harness h;
  IdempotentOms oms(h.oms());
  h.Start();
  h.Drop("a.edi", Shipments(5));
  ASSERT_TRUE(WaitFor([&] { return oms.accepted().size() == 5; })) << h.Log();
  EXPECT_EQ(h.Stop(SIGTERM), 0);
  EXPECT_NE(h.Log().find("stopping: finishing work in hand"), std::string::npos);
  h.Drop("b.edi", Shipments(8, "000004002"));  // SO-6..SO-8 are new, SO-1..5 business duplicates
  h.Start();
  ASSERT_TRUE(WaitFor([&] { return oms.accepted().size() == 8; })) << h.Log();
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(oms.accepted(), Expected(8));
  EXPECT_EQ(h.Stop(SIGINT), 0);
}

TEST(DaemonReliability, SighupReloadsProfilesAndABadFileKeepsTheOldOnes) {
  HarnessOptions o;
  o.sftp = false;
  Harness h(o);
  h.Start();
  // A broken profile: the reload is refused and the daemon keeps serving with the old one.
  const std::string good = x12test::ReadFile(h.profile_path());
  { std::ofstream(h.profile_path()) << good << "\nbogus_key: 1\n"; }
  h.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return h.Count("alert=reload_failed") >= 1; })) << h.Log();
  EXPECT_NE(h.Log().find("bogus_key"), std::string::npos);
  h.Drop("ship.edi", Shipments(1));
  ASSERT_TRUE(WaitFor([&] { return h.oms().RequestCount() >= 1; })) << h.Log();
  // A good change is taken: a new warehouse code routes orders to the partner.
  { std::ofstream(h.profile_path()) << std::regex_replace(good, std::regex("warehouses: \\[RENO1\\]"), "warehouses: [RENO1, SPARKS2]"); }
  h.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return h.Count("partners reloaded") >= 1; })) << h.Log();
  nlohmann::json order = nlohmann::json::parse(x12test::ReadFile(std::string(EDIGATE_SOURCE_DIR) + "/examples/orders/SO-10047.json"));
  order["warehouse"] = "SPARKS2";
  const auto r = h.PostOrder(order.dump(), "key-sparks");
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(h.Stop(), 0);
}

}  // namespace
}  // namespace daemontest

namespace daemontest {
namespace {

TEST(DaemonReliability, AHungPartnerDoesNotDelayAnother) {
  Harness h;  // acme on SFTP
  // A second partner, zeta, on a local folder, with its own identity.
  std::string zeta = x12test::ReadFile(h.profile_path());
  zeta = zeta.substr(0, zeta.find("\ntransport:"));
  zeta = std::regex_replace(zeta, std::regex("id: acme"), "id: zeta");
  zeta = std::regex_replace(zeta, std::regex("warehouses: \\[RENO1\\]"), "warehouses: [ZETA1]");
  zeta += "\ntransport:\n  kind: local\n  root: zeta\n  inbound_dir: to-oms\n  outbound_dir: from-oms\n"
          "  poll_interval: 1s\n  stable_for: 0s\n";
  fs::create_directories(h.root() + "/zeta/to-oms");
  { std::ofstream(h.root() + "/partners/zeta.yaml") << zeta; }
  h.Start();
  ASSERT_TRUE(WaitFor([&] { return h.Count("connected partner=acme") >= 1; })) << h.Log();
  // acme's server stops answering: its next listing hangs until the I/O timeout (10 s).
  h.sshd()->PauseSessions();
  std::this_thread::sleep_for(1500ms);
  const auto t0 = std::chrono::steady_clock::now();
  { std::ofstream(h.root() + "/zeta/to-oms/.z.part") << Shipments(1); }
  fs::rename(h.root() + "/zeta/to-oms/.z.part", h.root() + "/zeta/to-oms/z.edi");
  ASSERT_TRUE(WaitFor([&] { return h.oms().CountKey("zeta:945:SO-1:SHP-1") == 1; }, 8s)) << h.Log();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 8s);
  h.sshd()->ResumeSessions();
  // acme recovers on its own (reconnect after the timeout).
  h.Drop("a.edi", Shipments(1, "000004009"));
  ASSERT_TRUE(WaitFor([&] { return h.oms().CountKey("acme:945:SO-1:SHP-1") == 1; }, 40s)) << h.Log();
  EXPECT_EQ(h.Stop(), 0);
}

}  // namespace
}  // namespace daemontest
