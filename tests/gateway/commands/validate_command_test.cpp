// `edigate validate` and `edigate ack` end to end: the real binary, real files, exit codes
// and the JSON contract of issue 2.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/run_command.h"
#include "tests/support/x12_text.h"

namespace {

using nlohmann::json;
using x12test::RunCommand;
using x12test::TempDir;

const std::string kBin = EDIGATE_BINARY;

std::string PartialFile() {
  std::string bad = x12test::Set945("0102", "ORD2", "SHP2");
  bad = bad.substr(0, bad.rfind("SE*")) + "SE*99*0102~\n";
  return x12test::Interchange({x12test::Set945("0101", "ORD1", "SHP1"), bad});
}

TEST(ValidateCommand, AcceptedFileExitsZero) {
  TempDir dir;
  auto f = dir.Write("ok.edi", x12test::Interchange({x12test::Set945("0101", "A", "B")}));
  auto r = RunCommand({kBin, "validate", f});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK (1 interchanges, 1 groups, 1 sets, 0 rejected)"), std::string::npos) << r.out;
}

TEST(ValidateCommand, JsonFollowsTheContract) {
  TempDir dir;
  auto f = dir.Write("in.edi", PartialFile());
  auto r = RunCommand({kBin, "validate", "--json", f});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["file"], f);
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["not_x12"], false);
  ASSERT_EQ(doc["interchanges"].size(), 1u);
  const json& ix = doc["interchanges"][0];
  EXPECT_EQ(ix["control"], "000004001");
  EXPECT_EQ(ix["sender"], "ZZ:RENO3PL");
  EXPECT_EQ(ix["receiver"], "ZZ:OMSGATEWAY");
  EXPECT_EQ(ix["version"], "00401");
  EXPECT_EQ(ix["ta1"], "000");
  EXPECT_TRUE(ix["duplicate_of"].is_null());
  EXPECT_TRUE(ix["errors"].is_array());
  const json& g = ix["groups"][0];
  EXPECT_EQ(g["functional_id"], "SW");
  EXPECT_EQ(g["control"], "41");
  EXPECT_EQ(g["version"], "004010");
  EXPECT_EQ(g["ak9"], "P");
  EXPECT_TRUE(g["ak9_codes"].empty());
  ASSERT_EQ(g["sets"].size(), 2u);
  EXPECT_EQ(g["sets"][0]["id"], "945");
  EXPECT_EQ(g["sets"][0]["control"], "0101");
  EXPECT_EQ(g["sets"][0]["status"], "A");
  EXPECT_EQ(g["sets"][1]["status"], "R");
  EXPECT_EQ(g["sets"][1]["ak5_codes"], json::array({"4"}));
  const json& e = g["sets"][1]["errors"][0];
  EXPECT_EQ(e["segment"], "SE");
  EXPECT_EQ(e["position"], 17);
  EXPECT_EQ(e["code"], "");
  EXPECT_EQ(e["element"], 1);
  EXPECT_EQ(e["element_code"], "");
  EXPECT_EQ(e["message"], "SE01 says 99 segments, counted 17");
}

TEST(ValidateCommand, OneJsonLinePerFileAndExitOneWhenAnyIsRejected) {
  TempDir dir;
  auto good = dir.Write("good.edi", x12test::Interchange({x12test::Set945("0101", "A", "B")}));
  auto xml = dir.Write("ship.xml", "<?xml version=\"1.0\"?>\n<ShipNotice/>\n");
  auto r = RunCommand({kBin, "validate", "--json", good, xml});
  EXPECT_EQ(r.exit_code, 1);
  std::istringstream lines(r.out);
  std::string l1, l2, l3;
  std::getline(lines, l1);
  std::getline(lines, l2);
  EXPECT_FALSE(std::getline(lines, l3));
  EXPECT_EQ(json::parse(l1)["ok"], true);
  json x = json::parse(l2);
  EXPECT_EQ(x["not_x12"], true);
  ASSERT_EQ(x["errors"].size(), 1u);
  EXPECT_NE(x["errors"][0]["message"].get<std::string>().find("<?xml"), std::string::npos);
}

TEST(ValidateCommand, UsageAndIoErrorsExitTwo) {
  EXPECT_EQ(RunCommand({kBin, "validate"}).exit_code, 2);
  EXPECT_EQ(RunCommand({kBin, "validate", "--bogus", "x"}).exit_code, 2);
  auto r = RunCommand({kBin, "validate", "/nonexistent/file.edi"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/file.edi"), std::string::npos) << r.err;
  EXPECT_EQ(RunCommand({kBin, "frobnicate"}).exit_code, 2);
}

TEST(ValidateCommand, HumanReportNamesFilePositionAndRule) {
  TempDir dir;
  auto f = dir.Write("in.edi", PartialFile());
  auto r = RunCommand({kBin, "validate", f});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("set 945 0102: REJECTED (AK5 4)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("segment 17 (SE), element 1 [AK502=4]: SE01 says 99 segments, counted 17"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("set 945 0101"), std::string::npos) << "accepted sets stay quiet";
}

// A partner's TA1 is a verdict on one of our interchanges: both reports show it, apart from
// the TA1 this interchange itself would earn.
TEST(ValidateCommand, ATa1ReceivedIsReportedWithItsNote) {
  TempDir dir;
  auto f = dir.Write("ta1.edi", x12test::Isa() + "~\nTA1*000000123*261120*1200*R*006~\nIEA*0*000004001~\n");
  auto text = RunCommand({kBin, "validate", f});
  EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("TA1 received: interchange 000000123 REJECTED (006 Invalid Interchange Sender ID)"),
            std::string::npos)
      << text.out;
  auto js = RunCommand({kBin, "validate", "--json", f});
  EXPECT_EQ(js.exit_code, 0) << js.out << js.err;
  const json doc = json::parse(js.out);
  const json& ix = doc["interchanges"].at(0);
  EXPECT_EQ(ix["ta1"], "000");
  ASSERT_EQ(ix["ta1_received"].size(), 1u) << js.out;
  EXPECT_EQ(ix["ta1_received"][0]["control"], "000000123");
  EXPECT_EQ(ix["ta1_received"][0]["status"], "R");
  EXPECT_EQ(ix["ta1_received"][0]["note_code"], "006");
  EXPECT_EQ(ix["ta1_received"][0]["note"], "Invalid Interchange Sender ID");
}

TEST(AckCommand, PrintsThe997AddressedBack) {
  TempDir dir;
  auto f = dir.Write("in.edi", PartialFile());
  auto r = RunCommand({kBin, "ack", f});
  EXPECT_EQ(r.exit_code, 1) << "the input had a rejected set";
  EXPECT_NE(r.out.find("*ZZ*OMSGATEWAY     *ZZ*RENO3PL        *"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("AK9*P*2*2*1~"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("AK5*R*4~"), std::string::npos) << r.out;
  // What we print is itself valid X12.
  auto ack = dir.Write("ack.x12", r.out);
  auto v = RunCommand({kBin, "validate", ack});
  EXPECT_EQ(v.exit_code, 0) << v.out;
}

TEST(AckCommand, WritesFilesWithOutAndHonoursSender) {
  TempDir dir;
  x12test::IsaFields second;
  second.sender = "OTHER3PL";
  second.control = "000000077";
  auto f = dir.Write("in.edi", x12test::Interchange({x12test::Set945("0101", "A", "B")}) +
                                   x12test::Interchange({x12test::Set945("0101", "A", "B")}, "SW", second));
  auto r = RunCommand({kBin, "ack", "--out", dir.path() + "/acks", "--sender", "01:987654321", f});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string a1 = x12test::ReadFile(dir.path() + "/acks/in.edi.1.997");
  std::string a2 = x12test::ReadFile(dir.path() + "/acks/in.edi.2.997");
  EXPECT_NE(a1.find("*01*987654321      *ZZ*RENO3PL        *"), std::string::npos) << a1;
  EXPECT_NE(a2.find("*01*987654321      *ZZ*OTHER3PL       *"), std::string::npos) << a2;
  EXPECT_NE(r.out.find("-> ZZ:OTHER3PL"), std::string::npos) << r.out;
}

TEST(AckCommand, NotX12ExitsOne) {
  TempDir dir;
  auto f = dir.Write("junk.txt", "hello\n");
  auto r = RunCommand({kBin, "ack", f});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("not X12"), std::string::npos) << r.err;
}

}  // namespace
