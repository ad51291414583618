// `edigate partners check` (DESIGN.md, "Command line") against a real sshd: a good partner passes
// and shows what the daemon would pick up; a changed host key, a missing inbound folder or a
// file where a folder belongs fails with exit 1 and says which; nothing on the server changes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/gateway/daemon/daemon_harness.h"
#include "tests/support/run_command.h"

namespace daemontest {
namespace {

x12test::CommandResult Check(Harness& h, std::vector<std::string> more = {}) {
  std::vector<std::string> argv = {EDIGATE_BINARY, "partners", "check", "--config", h.config_path()};
  argv.insert(argv.end(), more.begin(), more.end());
  return x12test::RunCommand(argv);
}

TEST(PartnersCheck, AGoodSftpPartnerPassesAndShowsWhatWouldBePickedUpWithoutTouchingIt) {
  Harness h;
  h.Drop("a.edi", "ISA...");
  h.Drop("b.edi", "ISA...");
  { std::ofstream(h.inbound() + "/.c.edi.part") << "still uploading"; }
  const std::vector<std::string> before = Harness::Files(h.inbound());
  const auto r = Check(h);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("acme: ok (sftp://"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok     connect: host key verified, authenticated in "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("inbound_dir: to-oms: 3 file(s), 2 matching \"*\" to be picked up"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("outbound_dir: from-oms: a folder"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("archive_dir: to-oms/archive: not there yet; created on first use"), std::string::npos) << r.out;
  // Read-only: the partner's folders are as they were.
  EXPECT_EQ(Harness::Files(h.inbound()), before);
  EXPECT_TRUE(Harness::Files(h.outbound()).empty());
  EXPECT_FALSE(fs::exists(h.inbound() + "/archive"));
}

TEST(PartnersCheck, AChangedHostKeyFailsBeforeAuthenticating) {
  HarnessOptions o;
  o.wrong_host_key = true;
  Harness h(o);
  const auto r = Check(h);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("acme: FAILED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAILED connect: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("host key"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("inbound_dir"), std::string::npos) << "nothing is listed on an unverified server:\n" << r.out;
}

TEST(PartnersCheck, AMissingInboundFolderAndAFileWhereAFolderBelongsFail) {
  Harness h;
  fs::remove_all(h.inbound());
  fs::remove_all(h.outbound());
  { std::ofstream(h.outbound()) << "not a folder"; }
  const auto r = Check(h, {"--json", "acme"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["partner"], "acme");
  EXPECT_EQ(j["ok"], false);
  std::map<std::string, nlohmann::json> by_check;
  for (const auto& c : j["checks"]) by_check[c["check"]] = c;
  EXPECT_EQ(by_check["connect"]["ok"], true) << r.out;
  EXPECT_EQ(by_check["inbound_dir"]["ok"], false) << r.out;
  EXPECT_EQ(by_check["inbound_dir"]["detail"], "to-oms: missing; nothing can be picked up") << r.out;
  EXPECT_EQ(by_check["outbound_dir"]["ok"], false) << r.out;
  EXPECT_EQ(by_check["outbound_dir"]["detail"], "from-oms: is a file, not a folder") << r.out;
}

TEST(PartnersCheck, PartnersWithoutTransportPassAndUnknownNamesAreUsageErrors) {
  HarnessOptions o;
  o.sftp = false;  // a local folder
  Harness h(o);
  auto r = Check(h);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("acme: ok (file://"), std::string::npos) << r.out;
  r = Check(h, {"nobody"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("no partner 'nobody'"), std::string::npos) << r.err;
  r = x12test::RunCommand({EDIGATE_BINARY, "partners", "--config", h.config_path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("usage: edigate partners check"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace daemontest
