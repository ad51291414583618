// Issue 5 with an operator in the loop: a set the mapping cannot handle is quarantined (the
// rest of the file goes on); the integration engineer fixes the partner profile, reloads with
// SIGHUP and releases the set; it is mapped again from the stored file and delivered once.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/gateway/daemon/daemon_harness.h"
#include "tests/support/x12_text.h"

namespace daemontest {
namespace {

TEST(DaemonOperator, AQuarantinedSetIsReleasedAfterTheProfileIsFixedAndDeliveredOnce) {
  HarnessOptions o;
  o.sftp = false;
  Harness h(o);
  h.Start();
  // W12-01 "ZZ" is valid X12 but not in this partner's status table: the mapping refuses it.
  std::string odd = x12test::Set945("0002", "SO-2", "SHP-2");
  for (size_t at = odd.find("W12*CC*"); at != std::string::npos; at = odd.find("W12*CC*", at)) odd.replace(at, 7, "W12*ZZ*");
  h.Drop("mixed.edi", x12test::Interchange({x12test::Set945("0001", "SO-1", "SHP-1"), odd}));
  ASSERT_TRUE(WaitFor([&] { return h.oms().CountKey("acme:945:SO-1:SHP-1") == 1 && h.Count("set quarantined") >= 1; })) << h.Log();
  const auto listed = h.Spool({"list", "--kind", "message", "--state", "quarantined", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const nlohmann::json item = nlohmann::json::parse(listed.out.substr(0, listed.out.find('\n')));
  EXPECT_NE(item.dump().find("ZZ"), std::string::npos) << item.dump();
  const std::string id = std::to_string(item["id"].get<long long>());

  // Released before the fix: mapped again, refused again, quarantined again. Nothing sent.
  ASSERT_EQ(h.Spool({"release", id, "--reason", "try again"}).exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return h.Count("released sets processed again") >= 1; })) << h.Log();
  ASSERT_TRUE(WaitFor([&] { return h.Spool({"show", id, "--json"}).out.find("\"quarantined\"") != std::string::npos; }));
  EXPECT_EQ(h.oms().RequestCount(), 1u);

  // The fix: ZZ means shipped for this partner. Reload, release, delivered.
  std::string profile = x12test::ReadFile(h.profile_path());
  profile = std::regex_replace(profile, std::regex("    CC: shipped\n"), "    CC: shipped\n    ZZ: shipped\n");
  { std::ofstream(h.profile_path()) << profile; }
  h.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return h.Count("partners reloaded") >= 1; })) << h.Log();
  ASSERT_EQ(h.Spool({"release", id, "--reason", "status table fixed"}).exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return h.oms().CountKey("acme:945:SO-2:SHP-2") == 1; })) << h.Log();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(h.oms().RequestCount(), 2u) << "SO-1 must not be sent again";
  EXPECT_EQ(h.Metric("edigate_messages_quarantined{partner=\"acme\"}"), 0) << h.Metrics();
  EXPECT_EQ(h.Stop(), 0);
}

}  // namespace
}  // namespace daemontest
