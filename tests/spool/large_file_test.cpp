// A 1 GiB file is stored and read back in chunks: peak memory stays far below its size.
// SPOOL_LARGE_FILE_MB changes the size (CI default 1024).
#include <sys/resource.h>

#include <cstdlib>

#include "spool/sha256.h"
#include "tests/spool/spool_fixture.h"

namespace spool::testing {
namespace {

int64_t PeakRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

// Hashes what it is given and keeps nothing.
class HashSink final : public ByteSink {
 public:
  Status Write(std::string_view data) override {
    hash.Update(data);
    size += data.size();
    return Status::Ok();
  }
  Sha256 hash;
  uint64_t size = 0;
};

TEST_F(SpoolTest, OneGigabyteFileIsStreamedNotHeld) {
  const char* env = std::getenv("SPOOL_LARGE_FILE_MB");
  const uint64_t size = static_cast<uint64_t>(env ? std::atoll(env) : 1024) << 20;
  const int64_t rss_before = PeakRssMb();
  PatternSource src(size, 7);
  IngestRequest req;
  req.partner = "big";
  const IngestResult r = Must(spool_->IngestFile(req, src));
  EXPECT_EQ(r.size, size);
  HashSink sink;
  ASSERT_OK(spool_->ReadFile(r.id, sink));
  EXPECT_EQ(sink.size, size);
  EXPECT_EQ(sink.hash.HexDigest(), r.sha256);
  PatternSource again(size, 7);
  HashSink expected;
  std::vector<char> buf(1 << 20);
  for (;;) {
    const std::size_t n = Must(again.Read(buf));
    if (n == 0) break;
    expected.hash.Update(std::string_view(buf.data(), n));
  }
  EXPECT_EQ(expected.hash.HexDigest(), r.sha256);
  EXPECT_LT(PeakRssMb() - rss_before, 64) << "the file was held in memory";
}

}  // namespace
}  // namespace spool::testing
