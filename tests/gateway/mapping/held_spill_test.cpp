// HeldSpill, the temporary file of the mapper's held sets: records come back exactly as written,
// in order; and when the disk fills mid-batch (a real write failure: the file size limit), the
// failed batch is dropped whole while the batches committed before it still read back.
#include "gateway/mapping/held_spill.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <string>
#include <vector>

namespace {

using gateway::mapping::HeldSpill;
using gateway::mapping::SpilledSet;

SpilledSet Record(int i, size_t event_bytes = 40) {
  SpilledSet r;
  r.rejected = i % 3 == 0;
  r.handed_to_mapping = i % 2 == 0;
  r.verdict = i % 5 == 0 ? -1 : i;
  r.type = "shipment_confirmation";
  r.set_id = "945";
  r.control = std::to_string(1000 + i);
  r.group = "41";
  r.origin.index = i;
  r.origin.set_id = "945";
  r.origin.isa13 = "000004001";
  r.origin.gs06 = "41";
  r.origin.st02 = r.control;
  r.origin.key_type = i % 4 == 0 ? "" : "945";
  r.origin.business_key = {"SO-" + std::to_string(i), std::string("a\0b", 3)};
  r.event = std::string(event_bytes, static_cast<char>('a' + i % 26));
  r.key = "acme:945:SO-" + std::to_string(i);
  r.explain = i % 2 == 0 ? "" : "data.x <- W06-02";
  r.what = r.rejected ? "set 945 rejected" : "";
  r.errors = r.rejected ? std::vector<std::string>{"one", "", "three"} : std::vector<std::string>{};
  return r;
}

std::string Text(const SpilledSet& r) {
  std::string t = std::to_string(r.rejected) + std::to_string(r.handed_to_mapping) + std::to_string(r.verdict) + "|" +
                  r.type + "|" + r.set_id + "|" + r.control + "|" + r.group + "|" + std::to_string(r.origin.index) + "|" +
                  r.origin.set_id + "|" + r.origin.isa13 + "|" + r.origin.gs06 + "|" + r.origin.st02 + "|" +
                  r.origin.key_type + "|" + r.event + "|" + r.key + "|" + r.explain + "|" + r.what;
  for (const std::string& k : r.origin.business_key) t += "|k:" + k;
  for (const std::string& e : r.errors) t += "|e:" + e;
  return t;
}

std::vector<std::string> DrainAll(HeldSpill& spill, bool* ok) {
  std::vector<std::string> got;
  *ok = spill.Drain([&](SpilledSet& r) { got.push_back(Text(r)); });
  return got;
}

TEST(HeldSpill, RecordsComeBackAsWrittenInOrderThenTheFileIsEmpty) {
  HeldSpill spill;
  std::vector<std::string> want;
  for (int batch = 0; batch < 3; ++batch) {
    for (int i = batch * 400; i < (batch + 1) * 400; ++i) {  // several 1 MiB write chunks per batch
      spill.Add(Record(i, 1000 + static_cast<size_t>(i)));
      want.push_back(Text(Record(i, 1000 + static_cast<size_t>(i))));
    }
    ASSERT_TRUE(spill.Commit(400));
  }
  EXPECT_EQ(spill.size(), 1200u);
  bool ok = false;
  EXPECT_EQ(DrainAll(spill, &ok), want);
  EXPECT_TRUE(ok);
  EXPECT_EQ(spill.size(), 0u);
  EXPECT_TRUE(DrainAll(spill, &ok).empty());
  // Usable again for the next interchange.
  spill.Add(Record(7));
  ASSERT_TRUE(spill.Commit(1));
  EXPECT_EQ(DrainAll(spill, &ok), std::vector<std::string>{Text(Record(7))});
}

TEST(HeldSpill, AFullDiskDropsTheFailedBatchAndKeepsTheCommittedOnes) {
  HeldSpill spill;
  std::vector<std::string> want;
  for (int i = 0; i < 10; ++i) {
    spill.Add(Record(i));
    want.push_back(Text(Record(i)));
  }
  ASSERT_TRUE(spill.Commit(10));
  // The file may grow by 1.5 MiB more; the next batch needs about 3 MiB. Past the limit
  // write() fails with EFBIG (SIGXFSZ ignored), as it fails with ENOSPC on a full disk.
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &before), 0);
  struct sigaction ignore {}, old {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(sigaction(SIGXFSZ, &ignore, &old), 0);
  rlimit small = before;
  small.rlim_cur = (size_t{3} << 19);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  for (int i = 10; i < 13; ++i) spill.Add(Record(i, size_t{1} << 20));
  const bool committed = spill.Commit(3);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &before), 0);
  ASSERT_EQ(sigaction(SIGXFSZ, &old, nullptr), 0);
  EXPECT_FALSE(committed);
  EXPECT_EQ(spill.size(), 10u);
  // Room again: the next batch lands right after the committed ones, not after the torn tail.
  for (int i = 20; i < 22; ++i) {
    spill.Add(Record(i));
    want.push_back(Text(Record(i)));
  }
  EXPECT_TRUE(spill.Commit(2));
  bool ok = false;
  EXPECT_EQ(DrainAll(spill, &ok), want);
  EXPECT_TRUE(ok);
}

}  // namespace
