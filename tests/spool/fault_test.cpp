// Injected I/O faults: every filesystem operation of an ingest fails in turn (fault loop), a
// full disk, failing fsyncs, a full database, a locked database. Each gives a clear error,
// leaves no corruption and no half-received file, and the operation succeeds when retried.
#include <cerrno>

#include "spool/sha256.h"
#include "tests/spool/spool_fixture.h"

namespace spool::testing {
namespace {

using M = MessageState;

class FaultTest : public SpoolTest {
 protected:
  Result<IngestResult> TryIngest(const std::string& bytes) {
    StringSource src(bytes);
    IngestRequest req;
    req.partner = "acme";
    return spool_->IngestFile(req, src);
  }
  int64_t CountFiles() {
    ListFilter f;
    f.kind = ItemKind::kFile;
    return static_cast<int64_t>(Must(spool_->List(f)).size());
  }
};

TEST_F(FaultTest, EveryFailingFilesystemStepOfAnIngestIsCleanAndRetryable) {
  const std::string bytes(700 * 1024, 'x');  // several chunks
  int64_t failures = 0;
  for (int64_t n = 1;; ++n) {
    fs_.FailNth(n, EIO);
    auto r = TryIngest(bytes + std::to_string(n));
    fs_.Clear();
    if (r.ok()) {
      // Operation n was past the end: the ingest never touched the filesystem n times.
      EXPECT_GT(n, 5);
      break;
    }
    ++failures;
    EXPECT_EQ(r.status().code(), Code::kIoError) << r.status().ToString();
    EXPECT_NE(r.status().message().find("injected"), std::string::npos);
    // Not received: no row. Retrying the same bytes succeeds.
    const int64_t before = CountFiles();
    const IngestResult ok = Must(TryIngest(bytes + std::to_string(n)));
    EXPECT_EQ(CountFiles(), before + 1);
    StringSink sink;
    ASSERT_OK(spool_->ReadFile(ok.id, sink));
    EXPECT_EQ(sink.out, bytes + std::to_string(n));
  }
  EXPECT_GE(failures, 6);
  EXPECT_EQ(Must(spool_->IntegrityCheck()), "ok");
  EXPECT_TRUE(Must(posix_.ListDir(spool_->path() + ".blobs/tmp")).empty()) << "temp files left";
}

TEST_F(FaultTest, EveryLaterOperationFailingToo) {
  for (int64_t n = 1; n < 12; ++n) {
    fs_.FailNth(n, EIO, /*and_after=*/true);
    auto r = TryIngest("payload " + std::to_string(n));
    fs_.Clear();
    if (r.ok()) break;
    EXPECT_EQ(CountFiles(), 0);
  }
  EXPECT_EQ(Must(spool_->IntegrityCheck()), "ok");
}

TEST_F(FaultTest, DiskFullIsReportedAsNoSpace) {
  fs_.FailEvery(FaultFileSystem::Op::kWrite, ENOSPC);
  auto r = TryIngest("does not fit");
  fs_.Clear();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNoSpace);
  EXPECT_NE(r.status().message().find("No space left on device"), std::string::npos);
  EXPECT_NE(r.status().message().find(".blobs/tmp/"), std::string::npos) << "the path is named";
  EXPECT_EQ(CountFiles(), 0);
  ASSERT_TRUE(TryIngest("does not fit").ok());
}

TEST_F(FaultTest, FailedFsyncMeansNotReceived) {
  fs_.FailEvery(FaultFileSystem::Op::kSync, EIO);
  auto r = TryIngest("must be durable");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("fsync"), std::string::npos);
  fs_.FailEvery(FaultFileSystem::Op::kSyncDir, EIO);
  r = TryIngest("must be durable");
  ASSERT_FALSE(r.ok());
  fs_.Clear();
  EXPECT_EQ(CountFiles(), 0);
  ASSERT_TRUE(TryIngest("must be durable").ok());
}

TEST_F(FaultTest, FullDatabaseIsAnErrorAndNothingHalfDone) {
  const AddedMessage first = AddMessage("acme", {"SO"}, "first");
  int64_t pages = 0;
  {
    auto db = Must(SqliteDb::Open(Options().path, {}));
    auto stmt = Must(db->Prepare("PRAGMA page_count"));
    ASSERT_TRUE(Must(stmt.Step()));
    pages = stmt.Int(0);
  }
  spool_.reset();
  SqliteSpoolOptions capped = Options();
  capped.max_pages = pages + 2;
  spool_ = Must(SqliteSpool::Open(capped));
  // Add sets with big payloads until the database is full.
  const IngestResult file = Ingest("acme", "container");
  Status st;
  int added = 0;
  for (int i = 0; i < 100 && st.ok(); ++i) {
    InboundMessage m;
    m.file_id = file.id;
    m.set_index = i;
    m.partner = "acme";
    m.type = "945";
    m.business_key = {"K" + std::to_string(i)};
    m.payload = std::string(3000, 'p');
    auto r = spool_->AddInboundMessages(std::span(&m, 1), Actor::Daemon());
    st = r.ok() ? Status::Ok() : r.status();
    added += r.ok();
  }
  ASSERT_EQ(st.code(), Code::kNoSpace) << st.ToString();
  EXPECT_NE(st.message().find("full"), std::string::npos) << st.ToString();
  EXPECT_EQ(Must(spool_->IntegrityCheck()), "ok");
  EXPECT_EQ(State(first.id), "received");
  // Reads and small updates still work; with room again the add succeeds.
  Reopen();
  InboundMessage m;
  m.file_id = file.id;
  m.set_index = added;
  m.partner = "acme";
  m.type = "945";
  m.business_key = {"K" + std::to_string(added)};
  EXPECT_TRUE(spool_->AddInboundMessages(std::span(&m, 1), Actor::Daemon()).ok());
}

TEST_F(FaultTest, LockedDatabaseTimesOutWithAClearErrorAndRetrySucceeds) {
  spool_.reset();
  SqliteSpoolOptions o = Options();
  o.busy_timeout_ms = 50;
  spool_ = Must(SqliteSpool::Open(o));
  const AddedMessage m = AddMessage("acme", {"SO"}, "bytes");
  auto locker = Must(SqliteDb::Open(o.path, {}));
  ASSERT_OK(locker->Exec("BEGIN EXCLUSIVE"));
  Status st = Move(m.id, M::kReceived, M::kParsed);
  EXPECT_EQ(st.code(), Code::kBusy) << st.ToString();
  EXPECT_NE(st.message().find("locked"), std::string::npos) << st.ToString();
  auto ingest = TryIngest("while locked");
  EXPECT_EQ(ingest.status().code(), Code::kBusy);
  ASSERT_OK(locker->Exec("COMMIT"));
  ASSERT_OK(Move(m.id, M::kReceived, M::kParsed));
  ASSERT_TRUE(TryIngest("while locked").ok());
  EXPECT_EQ(Must(spool_->IntegrityCheck()), "ok");
}

TEST_F(FaultTest, FailingReadIsReported) {
  const IngestResult f = Ingest("acme", "abc");
  fs_.FailEvery(FaultFileSystem::Op::kOpen, EIO);
  StringSink sink;
  Status st = spool_->ReadFile(f.id, sink);
  fs_.Clear();
  EXPECT_EQ(st.code(), Code::kIoError);
  ASSERT_OK(spool_->ReadFile(f.id, sink));
}

}  // namespace
}  // namespace spool::testing
