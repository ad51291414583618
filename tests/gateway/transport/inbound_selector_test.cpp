// InboundSelector: which files of a listing are ready, driven with a fake clock.
#include <gtest/gtest.h>

#include "gateway/transport/inbound_selector.h"

namespace {

using namespace gateway::transport;
using namespace std::chrono_literals;
using Time = InboundSelector::Clock::time_point;

constexpr std::int64_t kT0 = 1'800'000'000;  // a fixed "now" in seconds since the epoch

Time At(std::int64_t seconds) { return Time(std::chrono::seconds(seconds)); }

RemoteEntry File(std::string name, std::uint64_t size, std::int64_t mtime) {
  return RemoteEntry{std::move(name), size, mtime, true};
}

std::vector<std::string> Names(const std::vector<ReadyFile>& ready) {
  std::vector<std::string> out;
  for (const ReadyFile& r : ready) out.push_back(r.entry.name);
  return out;
}

InboundRules Rules() {
  InboundRules r;
  r.glob = "*.edi";
  r.stable_for = 10s;
  r.min_age = 5s;
  return r;
}

TEST(InboundSelector, GrowingFileIsNotSelectedUntilStable) {
  InboundSelector sel(Rules());
  EXPECT_TRUE(sel.Select({File("a.edi", 100, kT0 - 60)}, At(kT0)).empty()) << "first sighting";
  // Grows: the stability clock restarts.
  EXPECT_TRUE(sel.Select({File("a.edi", 200, kT0 + 8)}, At(kT0 + 15)).empty());
  // Same size and mtime, but not stable_for since the change yet.
  EXPECT_TRUE(sel.Select({File("a.edi", 200, kT0 + 8)}, At(kT0 + 24)).empty());
  // Unchanged for 10 s and older than min_age.
  EXPECT_EQ(Names(sel.Select({File("a.edi", 200, kT0 + 8)}, At(kT0 + 25))),
            std::vector<std::string>{"a.edi"});
}

TEST(InboundSelector, SameSizeButNewMtimeRestartsTheClock) {
  InboundSelector sel(Rules());
  (void)sel.Select({File("a.edi", 100, kT0 - 60)}, At(kT0));
  EXPECT_TRUE(sel.Select({File("a.edi", 100, kT0 - 1)}, At(kT0 + 10)).empty());
  EXPECT_EQ(sel.Select({File("a.edi", 100, kT0 - 1)}, At(kT0 + 20)).size(), 1u);
}

TEST(InboundSelector, StableButTooYoungWaitsForMinAge) {
  InboundRules rules = Rules();
  rules.min_age = 120s;
  InboundSelector sel(rules);
  (void)sel.Select({File("a.edi", 1, kT0 - 60)}, At(kT0));
  EXPECT_TRUE(sel.Select({File("a.edi", 1, kT0 - 60)}, At(kT0 + 30)).empty());
  EXPECT_EQ(sel.Select({File("a.edi", 1, kT0 - 60)}, At(kT0 + 60)).size(), 1u);
}

TEST(InboundSelector, FutureMtimeIsNeverOldEnough) {
  InboundSelector sel(Rules());
  (void)sel.Select({File("a.edi", 1, kT0 + 3600)}, At(kT0));
  EXPECT_TRUE(sel.Select({File("a.edi", 1, kT0 + 3600)}, At(kT0 + 60)).empty());
}

TEST(InboundSelector, GlobHiddenDirectoriesAndTempFilesAreSkipped) {
  InboundRules rules = Rules();
  rules.stable_for = 0s;
  InboundSelector sel(rules);
  const std::vector<RemoteEntry> listing = {
      File("a.edi", 1, kT0 - 60),         File("b.txt", 1, kT0 - 60),
      File(".c.edi", 1, kT0 - 60),        File(".d.edi.0123456789abcdef.part", 1, kT0 - 60),
      RemoteEntry{"dir.edi", 0, kT0 - 60, false},
  };
  EXPECT_EQ(Names(sel.Select(listing, At(kT0))), std::vector<std::string>{"a.edi"});
}

TEST(InboundSelector, DoneFileConvention) {
  InboundRules rules = Rules();
  rules.glob = "*";
  rules.done_suffix = ".done";
  rules.stable_for = 3600s;  // the done file replaces the stability wait
  InboundSelector sel(rules);
  const std::vector<RemoteEntry> listing = {
      File("a.edi", 10, kT0 - 60), File("a.edi.done", 0, kT0 - 60),  // X.edi.done
      File("b.edi", 10, kT0 - 50), File("b.done", 0, kT0 - 50),      // X.done
      File("c.edi", 10, kT0 - 40),                                   // no done file yet
  };
  std::vector<ReadyFile> ready = sel.Select(listing, At(kT0));
  ASSERT_EQ(Names(ready), (std::vector<std::string>{"a.edi", "b.edi"}));
  EXPECT_EQ(ready[0].done_file, "a.edi.done");
  EXPECT_EQ(ready[1].done_file, "b.done");

  std::vector<RemoteEntry> later = listing;
  later.push_back(File("c.edi.done", 0, kT0 + 1));
  EXPECT_EQ(Names(sel.Select(later, At(kT0 + 2))),
            (std::vector<std::string>{"a.edi", "b.edi", "c.edi"}));
}

TEST(InboundSelector, DoneFileStillRespectsMinAge) {
  InboundRules rules = Rules();
  rules.done_suffix = ".ok";
  rules.min_age = 30s;
  InboundSelector sel(rules);
  const std::vector<RemoteEntry> listing = {File("a.edi", 1, kT0 - 10), File("a.ok", 0, kT0 - 10)};
  EXPECT_TRUE(sel.Select(listing, At(kT0)).empty());
  EXPECT_EQ(sel.Select(listing, At(kT0 + 20)).size(), 1u);
}

TEST(InboundSelector, OldestFirstAndCapped) {
  InboundRules rules = Rules();
  rules.stable_for = 0s;
  rules.max_files_per_poll = 3;
  InboundSelector sel(rules);
  const std::vector<RemoteEntry> listing = {
      File("e.edi", 1, kT0 - 10), File("d.edi", 1, kT0 - 20), File("c.edi", 1, kT0 - 30),
      File("b.edi", 1, kT0 - 40), File("a2.edi", 1, kT0 - 50), File("a1.edi", 1, kT0 - 50),
  };
  EXPECT_EQ(Names(sel.Select(listing, At(kT0))),
            (std::vector<std::string>{"a1.edi", "a2.edi", "b.edi"}));
}

TEST(InboundSelector, VanishedFilesAreForgottenAndStartOver) {
  InboundSelector sel(Rules());
  (void)sel.Select({File("a.edi", 1, kT0 - 60)}, At(kT0));
  EXPECT_EQ(sel.tracked(), 1u);
  (void)sel.Select({}, At(kT0 + 5));
  EXPECT_EQ(sel.tracked(), 0u);
  // Re-appears: a fresh stability wait.
  EXPECT_TRUE(sel.Select({File("a.edi", 1, kT0 - 60)}, At(kT0 + 20)).empty());
  EXPECT_EQ(sel.Select({File("a.edi", 1, kT0 - 60)}, At(kT0 + 30)).size(), 1u);
  sel.Forget("a.edi");
  EXPECT_TRUE(sel.Select({File("a.edi", 1, kT0 - 60)}, At(kT0 + 31)).empty());
}

}  // namespace
