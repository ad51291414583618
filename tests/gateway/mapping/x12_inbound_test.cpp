// X12InboundMapper with mapping threads: whatever the number of threads, the sink sees the
// same callbacks with the same arguments in the same order as when every set is mapped on
// the validating thread, for valid files, damaged ones (rejected sets, groups and
// interchanges, sets that fail mapping) and files that end early.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "edi/byte_source.h"
#include "edi/validator.h"
#include "gateway/mapping/inbound.h"
#include "gateway/mapping/map_file.h"
#include "tests/support/mapping_transcript.h"
#include "tests/support/x12_text.h"

namespace {

const std::string kSrc = EDIGATE_SOURCE_DIR;
const std::string kConfig = kSrc + "/config.example.yaml";

using mappingtest::Transcript;

class MapThreads : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = gateway::mapping::LoadPartnerSetup(kConfig, "example-3pl");
    ASSERT_TRUE(s.ok()) << s.status().message();
    setup_ = std::move(*s);
  }

  Transcript Map(const std::string& input, unsigned threads, bool explain = false) {
    gateway::mapping::InboundOptions options;
    options.profile = &setup_.profile;
    options.mappings = setup_.inbound;
    options.source.file = "in.edi";
    options.source.sha256 = std::string(64, 'a');
    options.explain = explain;
    options.map_threads = threads;
    return mappingtest::MapX12(input, options);
  }

  gateway::mapping::PartnerSetup setup_;
};

// Interchanges of 945s (some with a line status the example profile's table lacks, so they
// fail mapping) and of 856s, from senders the profile does not name (warnings).
std::string ManySets(int interchanges, int sets) {
  std::string out;
  for (int i = 0; i < interchanges; ++i) {
    std::vector<std::string> body;
    const bool ship_notices = i % 4 == 3;
    for (int k = 0; k < sets; ++k) {
      const std::string control = std::to_string(1000 + k);
      std::string set = ship_notices ? x12test::Set856(control, "SH" + std::to_string(i) + control)
                                     : x12test::Set945(control, "SO" + control, "SH" + std::to_string(i) + control, 1 + k % 5);
      if (!ship_notices && k % 17 == 5) {
        const size_t status = set.find("W12*CC*");
        if (status != std::string::npos) set.replace(status, 7, "W12*ZZ*");
      }
      body.push_back(set);
    }
    x12test::IsaFields isa;
    isa.control = std::to_string(100000000 + i);
    if (i % 2 == 1) isa.sender = "OTHER" + std::to_string(i % 3);
    out += x12test::Interchange(body, ship_notices ? "SH" : "SW", isa, std::to_string(41 + i));
  }
  return out;
}

TEST_F(MapThreads, ValidFileGivesTheSameCallbacksWithAnyNumberOfThreads) {
  const std::string input = ManySets(8, 150);
  const Transcript one = Map(input, 0);
  EXPECT_GT(one.mapped, 900);
  EXPECT_GT(one.rejected, 20);  // the sets with an unknown line status
  EXPECT_NE(one.text.find("WARNING"), std::string::npos);
  for (unsigned threads : {1u, 2u, 5u}) {
    EXPECT_EQ(one.text, Map(input, threads).text) << threads << " threads";
  }
  EXPECT_EQ(Map(input, 0, true).text, Map(input, 3, true).text) << "--explain";
}

TEST_F(MapThreads, DamagedFilesGiveTheSameCallbacks) {
  const std::string clean = ManySets(4, 40);
  const std::string alphabet = "*~:>|^ABZ019-.\n\r \x01ISAGSESTW12";
  std::mt19937 rng(20261128);
  int rejected_runs = 0;
  for (int round = 0; round < 40; ++round) {
    std::string input = clean;
    // "GE*1*41~" cuts a group short: its sets are rejected after they were mapped.
    x12test::Damage(&input, rng, 1 + static_cast<int>(rng() % 12), alphabet, "GE*1*41~");
    const Transcript one = Map(input, 0);
    if (one.rejected > 0) ++rejected_runs;
    ASSERT_EQ(one.text, Map(input, 2).text) << "round " << round;
  }
  EXPECT_GT(rejected_runs, 30);
}

TEST_F(MapThreads, RejectedGroupAndInterchangeRejectSetsMappedOnOtherThreads) {
  std::vector<std::string> body;
  for (int k = 0; k < 60; ++k) {
    const std::string control = std::to_string(2000 + k);
    body.push_back(x12test::Set945(control, "SO" + control, "SH" + control));
  }
  std::string group_bad = x12test::Interchange(body);
  const size_t ge = group_bad.find("GE*60*41");
  ASSERT_NE(ge, std::string::npos);
  group_bad.replace(ge, 8, "GE*61*41");  // wrong set count: AK9 R
  x12test::IsaFields isa;
  isa.control = "000004002";
  std::string ix_bad = x12test::Interchange(body, "SW", isa);
  const size_t iea = ix_bad.find("IEA*1*000004002");
  ASSERT_NE(iea, std::string::npos);
  ix_bad.replace(iea, 15, "IEA*1*000004999");  // control mismatch: TA1 R
  for (const std::string& input : {group_bad, ix_bad}) {
    const Transcript threaded = Map(input, 2);
    EXPECT_EQ(threaded.mapped, 0);
    EXPECT_EQ(threaded.rejected, 60);
    EXPECT_EQ(Map(input, 0).text, threaded.text);
  }
  // The rejection keeps the business key the set mapped to, so the set keeps its identity.
  EXPECT_NE(Map(group_bad, 2).text.find("945 [SO2000] [SH2000]"), std::string::npos);
}

TEST_F(MapThreads, FileCutOffBeforeItsIeaIsDeliveredAtFinish) {
  const std::string input = ManySets(2, 120);
  const std::string cut = input.substr(0, input.size() * 3 / 4);
  const Transcript one = Map(cut, 0);
  EXPECT_GT(one.mapped + one.rejected, 100);
  EXPECT_EQ(one.text, Map(cut, 3).text);
}

TEST(MapThreadsFor, NoThreadsForSmallInputs) {
  EXPECT_EQ(gateway::mapping::MapThreadsFor(uint64_t{4096}), 0u);
  const unsigned cores = std::thread::hardware_concurrency();
  EXPECT_EQ(gateway::mapping::MapThreadsFor(uint64_t{1} << 30), cores <= 1 ? 0u : cores - 1);
  EXPECT_EQ(gateway::mapping::MapThreadsFor(std::nullopt), cores <= 1 ? 0u : cores - 1);
}

}  // namespace
