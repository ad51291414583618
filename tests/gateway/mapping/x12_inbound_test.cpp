// X12InboundMapper with mapping threads: whatever the number of threads, the sink sees the
// same callbacks with the same arguments in the same order as when every set is mapped on
// the validating thread, for valid files, damaged ones (rejected sets, groups and
// interchanges, sets that fail mapping) and files that end early.
#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
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

  // `hold_bytes`: see InboundOptions; by default nothing is spilled.
  Transcript Map(const std::string& input, unsigned threads, bool explain = false,
                 size_t hold_bytes = std::numeric_limits<size_t>::max()) {
    gateway::mapping::InboundOptions options;
    options.hold_bytes = hold_bytes;
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

// Held sets past InboundOptions::hold_bytes go to a temporary file until their interchange is
// delivered (held_spill.h): the sink hears exactly what it hears when everything is held in
// memory, including verdicts that reach sets already spilled (a group or an interchange
// rejected at its end) and interchanges cut off before their IEA.
TEST_F(MapThreads, SpilledSetsGiveTheSameCallbacks) {
  const std::string valid = ManySets(4, 150);
  const Transcript held = Map(valid, 0);
  for (size_t hold : {size_t{0}, size_t{100000}, size_t{1} << 20}) {
    for (unsigned threads : {0u, 2u}) {
      const Transcript spilled = Map(valid, threads, false, hold);
      if (hold < (size_t{1} << 20)) {
        EXPECT_GT(spilled.spilled, hold == 0 ? 500u : 100u) << hold;
      }
      EXPECT_EQ(held.text, spilled.text) << "hold " << hold << ", " << threads << " threads";
    }
  }
  EXPECT_EQ(Map(valid, 0, true).text, Map(valid, 2, true, 50000).text) << "--explain";

  const std::string clean = ManySets(3, 40);
  const std::string alphabet = "*~:>|^ABZ019-.\n\r \x01ISAGSESTW12";
  std::mt19937 rng(20261129);
  for (int round = 0; round < 25; ++round) {
    std::string input = clean;
    x12test::Damage(&input, rng, 1 + static_cast<int>(rng() % 10), alphabet, "GE*1*41~");
    ASSERT_EQ(Map(input, 0).text, Map(input, round % 2 == 0 ? 0 : 2, false, 0).text) << "round " << round;
  }
  const std::string cut = valid.substr(0, valid.size() * 3 / 4);
  EXPECT_EQ(Map(cut, 0).text, Map(cut, 2, false, 0).text);
}

TEST_F(MapThreads, AVerdictAtTheEndRejectsSetsAlreadySpilled) {
  std::vector<std::string> body;
  for (int k = 0; k < 80; ++k) {
    const std::string control = std::to_string(3000 + k);
    body.push_back(x12test::Set945(control, "SO" + control, "SH" + control));
  }
  std::string group_bad = x12test::Interchange(body);
  const size_t ge = group_bad.find("GE*80*41");
  ASSERT_NE(ge, std::string::npos);
  group_bad.replace(ge, 8, "GE*81*41");  // wrong set count: AK9 R at the very end
  x12test::IsaFields isa;
  isa.control = "000004003";
  std::string ix_bad = x12test::Interchange(body, "SW", isa);
  const size_t iea = ix_bad.find("IEA*1*000004003");
  ASSERT_NE(iea, std::string::npos);
  ix_bad.replace(iea, 15, "IEA*1*000004999");  // TA1 R at the very end
  // The same sets in two groups of one interchange, the second group bad: only its sets go.
  std::string two_groups = x12test::Interchange(body, "SW", isa, "41");
  std::string second = x12test::Interchange(body, "SW", isa, "42");
  second = second.substr(second.find("GS*"), second.find("IEA*") - second.find("GS*"));
  second.replace(second.find("GE*80*42"), 8, "GE*79*42");
  two_groups.insert(two_groups.find("IEA*"), second);
  two_groups.replace(two_groups.find("IEA*1*"), 6, "IEA*2*");
  const std::vector<std::string> inputs = {group_bad, ix_bad, two_groups};
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Transcript held = Map(inputs[i], 0);
    const Transcript spilled = Map(inputs[i], 2, false, 0);
    EXPECT_GT(spilled.spilled, 70u) << i;
    EXPECT_EQ(held.text, spilled.text) << i;
    EXPECT_EQ(spilled.rejected, 80) << i;
    EXPECT_EQ(spilled.mapped, i == 2 ? 80 : 0) << i;
  }
}

TEST_F(MapThreads, NoTemporaryFileMeansHoldingInMemoryWithAWarning) {
  const std::string input = ManySets(2, 60);
  const Transcript held = Map(input, 0);
  const char* before = std::getenv("TMPDIR");
  const std::string saved = before != nullptr ? before : "";
  setenv("TMPDIR", "/nonexistent/edigate-test", 1);
  const Transcript fallback = Map(input, 2, false, 0);
  if (before != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  EXPECT_EQ(fallback.spilled, 0u);
  const std::string warning = "could not write held sets to a temporary file (TMPDIR): the rest of interchange ";
  EXPECT_NE(fallback.text.find(warning), std::string::npos) << fallback.text.substr(0, 500);
  std::string without;  // the transcript without the warning lines
  for (size_t at = 0; at < fallback.text.size();) {
    const size_t end = fallback.text.find('\n', at);
    const std::string line = fallback.text.substr(at, end - at + 1);
    if (line.find(warning) == std::string::npos) without += line;
    at = end + 1;
  }
  EXPECT_EQ(held.text, without);
  EXPECT_EQ(fallback.mapped, held.mapped);
}

TEST(MapThreadsFor, NoThreadsForSmallInputs) {
  EXPECT_EQ(gateway::mapping::MapThreadsFor(uint64_t{4096}), 0u);
  const unsigned cores = std::thread::hardware_concurrency();
  EXPECT_EQ(gateway::mapping::MapThreadsFor(uint64_t{1} << 30), cores <= 1 ? 0u : cores - 1);
  EXPECT_EQ(gateway::mapping::MapThreadsFor(std::nullopt), cores <= 1 ? 0u : cores - 1);
}

}  // namespace
