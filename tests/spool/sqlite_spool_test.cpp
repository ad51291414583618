// Unit tests of SqliteSpool: files, duplicates at every level and policy, the state machines as
// enforced by the database, leases, retries, control numbers, replay, release, purge, stats.
#include <sqlite3.h>

#include <set>
#include <thread>

#include "spool/schema.h"
#include "spool/sha256.h"
#include "tests/spool/spool_fixture.h"

namespace spool::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using M = MessageState;

std::string Pragma(const std::string& path, const std::string& pragma) {
  auto db = Must(SqliteDb::Open(path, {}));
  auto stmt = Must(db->Prepare("PRAGMA " + pragma));
  EXPECT_TRUE(Must(stmt.Step()));
  return stmt.Text(0);
}

TEST_F(SpoolTest, NewDatabaseIsWalAtTheLatestVersion) {
  EXPECT_EQ(Pragma(Options().path, "journal_mode"), "wal");
  EXPECT_EQ(Pragma(Options().path, "user_version"), std::to_string(LatestSchemaVersion()));
  EXPECT_EQ(Must(spool_->IntegrityCheck()), "ok");
}

TEST_F(SpoolTest, OlderDatabaseIsUpgradedAndKeepsItsData) {
  spool_.reset();
  TempDir other;
  const std::string path = other.File("old.db");
  {
    auto db = Must(SqliteDb::Open(path, {}));
    ASSERT_OK(Migrate(*db, 1));
    ASSERT_OK(db->Exec("INSERT INTO items(id, kind) VALUES (7, 'file');"
                       "INSERT INTO files(id, partner, sha256, size, received_at, state, updated_at)"
                       " VALUES (7, 'acme', 'abc', 3, 1, 'parsed', 1)"));
  }
  EXPECT_EQ(Pragma(path, "user_version"), "1");
  SqliteSpoolOptions o = Options();
  o.path = path;
  o.blob_dir = "";
  auto upgraded = Must(SqliteSpool::Open(o));
  EXPECT_EQ(Pragma(path, "user_version"), std::to_string(LatestSchemaVersion()));
  EXPECT_EQ(Must(upgraded->Get(7)).partner, "acme");
}

TEST_F(SpoolTest, NewerDatabaseIsRefused) {
  spool_.reset();
  {
    auto db = Must(SqliteDb::Open(Options().path, {}));
    ASSERT_OK(db->Exec("PRAGMA user_version = 999"));
  }
  auto r = SqliteSpool::Open(Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kSchema);
}

TEST_F(SpoolTest, IngestKeepsBytesVerbatimWithOriginAndHistory) {
  const std::string bytes = std::string("ISA*00*...~\r\n\0binary\xff", 22);
  StringSource src(bytes);
  IngestRequest req;
  req.partner = "acme";
  req.origin = {"/out/a.edi", 22, FromMicros(123'000'000)};
  const IngestResult r = Must(spool_->IngestFile(req, src));
  EXPECT_EQ(r.size, 22u);
  EXPECT_EQ(r.sha256, Sha256::Of(bytes));
  EXPECT_EQ(r.action, DuplicateAction::kNone);
  StringSink sink;
  ASSERT_OK(spool_->ReadFile(r.id, sink));
  EXPECT_EQ(sink.out, bytes);
  const ItemSummary item = Must(spool_->Get(r.id));
  EXPECT_EQ(item.kind, ItemKind::kFile);
  EXPECT_EQ(item.state, "received");
  EXPECT_EQ(item.remote_path, "/out/a.edi");
  EXPECT_EQ(item.remote_size, 22);
  EXPECT_EQ(item.remote_mtime, FromMicros(123'000'000));
  EXPECT_EQ(item.created_at, clock_.Now());
  const auto history = Must(spool_->History(r.id));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].to_state, "received");
  EXPECT_EQ(history[0].actor, "daemon");
}

TEST_F(SpoolTest, CorruptedBlobIsReportedOnRead) {
  const IngestResult r = Ingest("acme", "hello");
  {
    std::unique_ptr<WritableFile> f;
    ASSERT_OK(posix_.Remove(dir_.File("spool.db.blobs/" + r.sha256.substr(0, 2) + "/" + r.sha256)));
    f = Must(posix_.NewWritableFile(dir_.File("spool.db.blobs/" + r.sha256.substr(0, 2) + "/" + r.sha256)));
    ASSERT_OK(f->Append("jello"));
    ASSERT_OK(f->Close());
  }
  StringSink sink;
  EXPECT_EQ(spool_->ReadFile(r.id, sink).code(), Code::kCorruption);
}

// --- duplicates: file level ---

TEST_F(SpoolTest, FileDuplicateSkipIsRecordedAndLinked) {
  const IngestResult a = Ingest("acme", "same bytes");
  const IngestResult b = Ingest("acme", "same bytes");
  EXPECT_EQ(b.duplicate_of, a.id);
  EXPECT_EQ(b.action, DuplicateAction::kSkipped);
  EXPECT_EQ(b.state, FileState::kDuplicate);
  const ItemSummary item = Must(spool_->Get(b.id));
  EXPECT_EQ(item.state, "duplicate");
  EXPECT_EQ(item.duplicate_of, a.id);
  // Another partner's identical bytes are not a duplicate.
  EXPECT_EQ(Ingest("other", "same bytes").duplicate_of, std::nullopt);
  // Nothing claimable from the duplicate.
  ClaimRequest c;
  c.kind = ItemKind::kFile;
  c.worker = "w";
  c.limit = 10;
  const auto leases = Must(spool_->Claim(c));
  for (const Lease& l : leases) EXPECT_NE(l.id, b.id);
}

TEST_F(SpoolTest, FileDuplicateRejectAndAllow) {
  policies_.partners["strict"].file_duplicates = DuplicatePolicy::kReject;
  policies_.partners["lax"].file_duplicates = DuplicatePolicy::kAllow;
  Reopen();
  const IngestResult s1 = Ingest("strict", "x");
  const IngestResult s2 = Ingest("strict", "x");
  EXPECT_EQ(s2.action, DuplicateAction::kRejected);
  EXPECT_EQ(s2.duplicate_of, s1.id);
  EXPECT_EQ(Must(spool_->Get(s2.id)).duplicate_action, "rejected");
  const IngestResult l1 = Ingest("lax", "x");
  const IngestResult l2 = Ingest("lax", "x");
  EXPECT_EQ(l2.action, DuplicateAction::kAllowed);
  EXPECT_EQ(l2.state, FileState::kReceived);
  EXPECT_EQ(l2.duplicate_of, l1.id);
  // The third copy still links to the original, not to the second.
  EXPECT_EQ(Ingest("lax", "x").duplicate_of, l1.id);
}

// --- duplicates: interchange level ---

TEST_F(SpoolTest, InterchangeDuplicateWithinTheWindowOnly) {
  policies_.defaults.interchange_window = hours(24);
  Reopen();
  const IngestResult f1 = Ingest("acme", "file one");
  const IngestResult f2 = Ingest("acme", "file two");
  const IngestResult f3 = Ingest("acme", "file three");
  InterchangeRequest req{f1.id, "acme", "ACME", "US", "000000123"};
  const InterchangeResult i1 = Must(spool_->RecordInterchange(req));
  EXPECT_EQ(i1.duplicate_of, std::nullopt);
  // Recording the same file's interchange again is idempotent.
  EXPECT_EQ(Must(spool_->RecordInterchange(req)).id, i1.id);
  req.file_id = f2.id;
  const InterchangeResult i2 = Must(spool_->RecordInterchange(req));
  EXPECT_EQ(i2.duplicate_of, i1.id);
  EXPECT_EQ(i2.action, DuplicateAction::kSkipped);
  // Visible in the file's history.
  const auto history = Must(spool_->History(f2.id));
  EXPECT_NE(history.back().reason.find("duplicates interchange"), std::string::npos);
  // Different receiver: not a duplicate.
  req.isa08 = "OTHER";
  EXPECT_EQ(Must(spool_->RecordInterchange(req)).duplicate_of, std::nullopt);
  // Past the window: not a duplicate.
  clock_.Advance(hours(25));
  req = {f3.id, "acme", "ACME", "US", "000000123"};
  EXPECT_EQ(Must(spool_->RecordInterchange(req)).duplicate_of, std::nullopt);
}

TEST_F(SpoolTest, InterchangeDuplicatePolicies) {
  policies_.partners["r"].interchange_duplicates = DuplicatePolicy::kReject;
  policies_.partners["a"].interchange_duplicates = DuplicatePolicy::kAllow;
  Reopen();
  for (const auto& [partner, action] : {std::pair{"r", DuplicateAction::kRejected},
                                        std::pair{"a", DuplicateAction::kAllowed}}) {
    const IngestResult f1 = Ingest(partner, "1");
    const IngestResult f2 = Ingest(partner, "2");
    const auto i1 = Must(spool_->RecordInterchange({f1.id, partner, "S", "R", "9"}));
    const auto i2 = Must(spool_->RecordInterchange({f2.id, partner, "S", "R", "9"}));
    EXPECT_EQ(i2.action, action);
    EXPECT_EQ(i2.duplicate_of, i1.id);
  }
}

// --- duplicates: business level ---

TEST_F(SpoolTest, BusinessDuplicateSkip) {
  const AddedMessage a = AddMessage("acme", {"SO1", "BOL1"}, "file a");
  const AddedMessage b = AddMessage("acme", {"SO1", "BOL1"}, "file b");
  EXPECT_EQ(a.idempotency_key, "acme:945:SO1:BOL1");
  EXPECT_EQ(b.idempotency_key, a.idempotency_key);
  EXPECT_EQ(b.duplicate_of, a.id);
  EXPECT_EQ(b.action, DuplicateAction::kSkipped);
  EXPECT_EQ(State(b.id), "duplicate");
  EXPECT_EQ(AddMessage("acme", {"SO1", "BOL2"}, "file c").duplicate_of, std::nullopt);
  // The listing shows the duplicate with its link.
  ListFilter f;
  f.state = "duplicate";
  const auto items = Must(spool_->List(f));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].duplicate_of, a.id);
}

TEST_F(SpoolTest, BusinessDuplicateRejectAndAllow) {
  policies_.partners["r"].business_duplicates = DuplicatePolicy::kReject;
  policies_.partners["a"].business_duplicates = DuplicatePolicy::kAllow;
  Reopen();
  const AddedMessage r1 = AddMessage("r", {"K"}, "r1");
  const AddedMessage r2 = AddMessage("r", {"K"}, "r2");
  EXPECT_EQ(r2.action, DuplicateAction::kRejected);
  EXPECT_EQ(r2.state, M::kDuplicate);
  EXPECT_EQ(r2.duplicate_of, r1.id);
  const AddedMessage a1 = AddMessage("a", {"K"}, "a1");
  const AddedMessage a2 = AddMessage("a", {"K"}, "a2");
  EXPECT_EQ(a2.action, DuplicateAction::kAllowed);
  EXPECT_EQ(a2.state, M::kReceived);
  EXPECT_EQ(a2.duplicate_of, a1.id);
}

TEST_F(SpoolTest, NoBusinessKeyMeansControlNumberKeyAndNoBusinessDedup) {
  const AddedMessage a = AddMessage("acme", {}, "f1");
  const AddedMessage b = AddMessage("acme", {}, "f2");
  EXPECT_EQ(a.idempotency_key, "acme:945:ctl:000000001:1:0001");
  EXPECT_EQ(b.duplicate_of, std::nullopt);  // interchange-level dedup covers repeated envelopes
}

TEST_F(SpoolTest, ReaddingTheSameSetIsIdempotent) {
  const IngestResult f = Ingest("acme", "file");
  InboundMessage m;
  m.file_id = f.id;
  m.partner = "acme";
  m.type = "945";
  m.business_key = {"SO", "B"};
  std::vector<InboundMessage> sets{m, m};
  sets[1].set_index = 1;
  sets[1].business_key = {"SO", "C"};
  const auto first = Must(spool_->AddInboundMessages(sets, Actor::Daemon()));
  const auto again = Must(spool_->AddInboundMessages(sets, Actor::Daemon()));
  ASSERT_EQ(again.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(again[i].existed);
    EXPECT_EQ(again[i].id, first[i].id);
    EXPECT_EQ(again[i].idempotency_key, first[i].idempotency_key);
  }
}

// --- the inbound machine through the database ---

TEST_F(SpoolTest, InboundLifecycleIsAuditedStepByStep) {
  const AddedMessage m = AddMessage("acme", {"SO", "B"}, "bytes");
  ASSERT_OK(Move(m.id, M::kReceived, M::kParsed));
  MessageTransition map;
  map.id = m.id;
  map.from = M::kParsed;
  map.to = M::kMapped;
  map.payload = R"({"type":"shipment_confirmation"})";
  map.reason = "mapped";
  ASSERT_OK(spool_->Transition(std::span(&map, 1)));
  ASSERT_OK(Move(m.id, M::kMapped, M::kDelivering));
  ASSERT_OK(Move(m.id, M::kDelivering, M::kDelivered));
  const auto history = Must(spool_->History(m.id));
  ASSERT_EQ(history.size(), 5u);
  const char* states[] = {"received", "parsed", "mapped", "delivering", "delivered"};
  for (std::size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].to_state, states[i]);
    if (i > 0) {
      EXPECT_EQ(history[i].from_state, states[i - 1]);
    }
  }
}

TEST_F(SpoolTest, IllegalTransitionIsAnErrorAndChangesNothing) {
  const AddedMessage m = AddMessage("acme", {"SO"}, "bytes");
  Status st = Move(m.id, M::kReceived, M::kDelivered);
  EXPECT_EQ(st.code(), Code::kIllegalTransition);
  // A stale `from` is refused too, never overwritten.
  st = Move(m.id, M::kParsed, M::kMapped);
  EXPECT_EQ(st.code(), Code::kIllegalTransition);
  // An outbound state on an inbound message.
  EXPECT_EQ(Move(m.id, M::kReceived, M::kRendered).code(), Code::kIllegalTransition);
  EXPECT_EQ(State(m.id), "received");
  EXPECT_EQ(Must(spool_->History(m.id)).size(), 1u);
  EXPECT_EQ(Move(999, M::kReceived, M::kParsed).code(), Code::kNotFound);
}

TEST_F(SpoolTest, BatchTransitionIsAllOrNothing) {
  const AddedMessage a = AddMessage("acme", {"A"}, "a");
  const AddedMessage b = AddMessage("acme", {"B"}, "b");
  std::vector<MessageTransition> batch(2);
  batch[0].id = a.id;
  batch[0].from = M::kReceived;
  batch[0].to = M::kParsed;
  batch[1].id = b.id;
  batch[1].from = M::kReceived;
  batch[1].to = M::kMapped;  // illegal
  EXPECT_EQ(spool_->Transition(batch).code(), Code::kIllegalTransition);
  EXPECT_EQ(State(a.id), "received");
  batch[1].to = M::kParsed;
  ASSERT_OK(spool_->Transition(batch));
  EXPECT_EQ(State(a.id), "parsed");
  EXPECT_EQ(State(b.id), "parsed");
}

// --- leases ---

TEST_F(SpoolTest, LeaseHidesWorkUntilItExpires) {
  const AddedMessage m = AddMessage("acme", {"SO"}, "bytes");
  ClaimRequest c;
  c.worker = "w1";
  c.lease = minutes(5);
  c.limit = 10;
  const auto l1 = Must(spool_->Claim(c));
  ASSERT_EQ(l1.size(), 1u);
  EXPECT_EQ(l1[0].id, m.id);
  c.worker = "w2";
  EXPECT_TRUE(Must(spool_->Claim(c)).empty());
  // Without the lease, nobody else may move it.
  EXPECT_EQ(Move(m.id, M::kReceived, M::kParsed).code(), Code::kLeaseLost);
  EXPECT_EQ(Move(m.id, M::kReceived, M::kParsed, l1[0].token + 1).code(), Code::kLeaseLost);
  // The worker crashes; after the lease expires the work comes back.
  clock_.Advance(minutes(5) + seconds(1));
  const auto l2 = Must(spool_->Claim(c));
  ASSERT_EQ(l2.size(), 1u);
  EXPECT_NE(l2[0].token, l1[0].token);
  // The first worker wakes up: its lease is gone.
  EXPECT_EQ(Move(m.id, M::kReceived, M::kParsed, l1[0].token).code(), Code::kLeaseLost);
  ASSERT_OK(Move(m.id, M::kReceived, M::kParsed, l2[0].token));
  // The step released the lease: the next stage can claim it at once.
  c.worker = "mapper";
  EXPECT_EQ(Must(spool_->Claim(c)).size(), 1u);
}

TEST_F(SpoolTest, DeliveringKeepsTheLeaseAndComesBackAfterACrash) {
  const AddedMessage m = AddMessage("acme", {"SO"}, "bytes");
  ASSERT_OK(Move(m.id, M::kReceived, M::kParsed));
  ASSERT_OK(Move(m.id, M::kParsed, M::kMapped));
  ClaimRequest c;
  c.worker = "deliverer";
  c.states = {M::kMapped, M::kRetryWait, M::kDelivering};
  const auto l = Must(spool_->Claim(c));
  ASSERT_EQ(l.size(), 1u);
  ASSERT_OK(Move(m.id, M::kMapped, M::kDelivering, l[0].token));
  EXPECT_TRUE(Must(spool_->Claim(c)).empty());
  clock_.Advance(minutes(6));
  const auto again = Must(spool_->Claim(c));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].state, "delivering");
  ASSERT_OK(Move(m.id, M::kDelivering, M::kDelivered, again[0].token));
}

TEST_F(SpoolTest, ConcurrentClaimsNeverShareAnItem) {
  std::vector<InboundMessage> sets;
  const IngestResult f = Ingest("acme", "big file");
  for (int i = 0; i < 200; ++i) {
    InboundMessage m;
    m.file_id = f.id;
    m.set_index = i;
    m.partner = "acme";
    m.type = "945";
    m.business_key = {"SO" + std::to_string(i)};
    sets.push_back(m);
  }
  (void)Must(spool_->AddInboundMessages(sets, Actor::Daemon()));
  // Four threads: two share this spool, two open their own connection.
  std::vector<std::unique_ptr<SqliteSpool>> own;
  own.push_back(Must(SqliteSpool::Open(Options())));
  own.push_back(Must(SqliteSpool::Open(Options())));
  Spool* spools[] = {spool_.get(), spool_.get(), own[0].get(), own[1].get()};
  std::vector<std::vector<ItemId>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      ClaimRequest c;
      c.worker = "w" + std::to_string(t);
      c.limit = 3;
      for (;;) {
        auto r = spools[t]->Claim(c);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        if (r->empty()) break;
        for (const Lease& l : *r) got[t].push_back(l.id);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<ItemId> all;
  std::size_t total = 0;
  for (const auto& g : got) {
    total += g.size();
    all.insert(g.begin(), g.end());
  }
  EXPECT_EQ(total, 200u);
  EXPECT_EQ(all.size(), 200u);
}

// --- retries ---

TEST_F(SpoolTest, FailuresBackOffHonourRetryAfterAndDieWhenTheWindowCloses) {
  RetryPolicy& p = policies_.defaults.retry;
  p.initial_delay = seconds(10);
  p.multiplier = 2;
  p.max_delay = minutes(10);
  p.jitter = 0;
  p.max_age = minutes(30);
  Reopen();
  const AddedMessage m = AddMessage("acme", {"SO"}, "bytes");
  ASSERT_OK(Move(m.id, M::kReceived, M::kParsed));
  ASSERT_OK(Move(m.id, M::kParsed, M::kMapped));
  const Timestamp start = clock_.Now();
  ClaimRequest c;
  c.worker = "d";
  c.states = {M::kMapped, M::kRetryWait};
  auto attempt = [&](std::optional<Duration> retry_after) {
    const auto l = Must(spool_->Claim(c));
    EXPECT_EQ(l.size(), 1u);
    const MessageState from = ParseMessageState(l.at(0).state).value();
    EXPECT_TRUE(Move(m.id, from, M::kDelivering, l[0].token).ok());
    FailureReport f;
    f.id = m.id;
    f.lease_token = l[0].token;
    f.reason = "HTTP 503";
    f.retry_after = retry_after;
    return Must(spool_->RecordFailure(f));
  };
  RetryDecision d = attempt(std::nullopt);
  EXPECT_FALSE(d.dead);
  EXPECT_EQ(d.next_attempt_at, start + seconds(10));
  EXPECT_EQ(State(m.id), "retry_wait");
  EXPECT_TRUE(Must(spool_->Claim(c)).empty());  // not due yet
  clock_.Set(d.next_attempt_at);
  d = attempt(std::nullopt);
  EXPECT_EQ(d.next_attempt_at, clock_.Now() + seconds(20));
  clock_.Set(d.next_attempt_at);
  d = attempt(seconds(120));  // Retry-After wins over the 40 s backoff
  EXPECT_EQ(d.next_attempt_at, clock_.Now() + seconds(120));
  const ItemSummary item = Must(spool_->Get(m.id));
  EXPECT_EQ(item.attempts, 3);
  EXPECT_EQ(item.last_error, "HTTP 503");
  clock_.Set(start + minutes(29));
  d = attempt(std::nullopt);
  EXPECT_TRUE(d.dead);
  EXPECT_EQ(State(m.id), "dead");
  EXPECT_NE(Must(spool_->History(m.id)).back().reason.find("window"), std::string::npos);
  // An operator releases it: due now, with a fresh window.
  const ReplayOutcome r = Must(spool_->Release(m.id, Actor::Operator("ann"), "OMS fixed"));
  EXPECT_EQ(r.to, "retry_wait");
  const ItemSummary released = Must(spool_->Get(m.id));
  EXPECT_EQ(released.attempts, 0);
  EXPECT_EQ(released.next_attempt_at, clock_.Now());
  EXPECT_EQ(Must(spool_->History(m.id)).back().actor, "operator:ann");
}

TEST_F(SpoolTest, PermanentFailureIsDeadAtOnceAndMaxAttemptsPerFlow) {
  policies_.partners["acme"].retry_by_type["945"].max_attempts = 1;
  Reopen();
  const AddedMessage m = AddMessage("acme", {"SO"}, "bytes");
  const AddedMessage n = AddMessage("other", {"SO"}, "bytes2");
  for (const AddedMessage* x : {&m, &n}) {
    ASSERT_OK(Move(x->id, M::kReceived, M::kParsed));
    ASSERT_OK(Move(x->id, M::kParsed, M::kMapped));
    ASSERT_OK(Move(x->id, M::kMapped, M::kDelivering));
  }
  FailureReport f;
  f.id = m.id;
  f.reason = "HTTP 503";
  EXPECT_TRUE(Must(spool_->RecordFailure(f)).dead);  // 945s for acme: one attempt only
  f.id = n.id;
  f.permanent = true;
  f.reason = "HTTP 422";
  EXPECT_TRUE(Must(spool_->RecordFailure(f)).dead);
  EXPECT_EQ(State(n.id), "dead");
  // Failing a message that is not being delivered is illegal.
  EXPECT_EQ(spool_->RecordFailure(f).status().code(), Code::kIllegalTransition);
}

// --- outbound, control numbers, acks ---

class OutboundTest : public SpoolTest {
 protected:
  ItemId Accept(const std::string& order, const std::string& partner = "acme") {
    OutboundOrder o;
    o.partner = partner;
    o.type = "940";
    o.business_key = {order};
    o.payload = "{}";
    o.ack_within = hours(4);
    o.ship_within = hours(48);
    return Must(spool_->AcceptOutbound(o, Actor::Api())).id;
  }
  ControlNumbers RenderIt(ItemId id) {
    return Must(spool_->Render(id, 0, [](const ControlNumbers& cn) -> Result<std::string> {
      return "ISA*" + cn.isa13 + "*GS*" + cn.gs06 + "*ST*" + cn.st02 + "~";
    }, Actor::Daemon()));
  }
};

TEST_F(OutboundTest, AcceptIsIdempotentOnTheOrderKey) {
  const ItemId a = Accept("SO-1");
  OutboundOrder o;
  o.partner = "acme";
  o.type = "940";
  o.business_key = {"SO-1"};
  const AddedMessage again = Must(spool_->AcceptOutbound(o, Actor::Api()));
  EXPECT_TRUE(again.existed);
  EXPECT_EQ(again.id, a);
  o.business_key.clear();
  EXPECT_EQ(spool_->AcceptOutbound(o, Actor::Api()).status().code(), Code::kInvalidArgument);
}

TEST_F(OutboundTest, ControlNumbersAreSequentialPerPartnerAndNeverReused) {
  const ControlNumbers a = RenderIt(Accept("1"));
  const ControlNumbers b = RenderIt(Accept("2"));
  const ControlNumbers other = RenderIt(Accept("3", "globex"));
  EXPECT_EQ(a.isa13, "000000001");
  EXPECT_EQ(a.gs06, "1");
  EXPECT_EQ(a.st02, "0001");
  EXPECT_EQ(b.isa13, "000000002");
  EXPECT_EQ(other.isa13, "000000001");
  // A failed render rolls back: the numbers it saw are handed out again, never used twice.
  const ItemId c = Accept("4");
  std::string seen;
  auto failed = spool_->Render(c, 0, [&](const ControlNumbers& cn) -> Result<std::string> {
    seen = cn.isa13;
    return Status(Code::kInvalidArgument, "mapping failed");
  }, Actor::Daemon());
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(State(c), "accepted");
  EXPECT_EQ(RenderIt(c).isa13, seen);
  // Survives reopening (a crash).
  Reopen();
  EXPECT_EQ(RenderIt(Accept("5")).isa13, "000000004");
  EXPECT_EQ(Must(spool_->RenderedBytes(c)), "ISA*000000003*GS*3*ST*0003~");
  // Rendering twice is illegal.
  EXPECT_EQ(spool_->Render(c, 0, [](const ControlNumbers&) -> Result<std::string> { return std::string("x"); },
                           Actor::Daemon()).status().code(),
            Code::kIllegalTransition);
}

TEST_F(OutboundTest, ResetIsAuditedAndRefusesReuse) {
  RenderIt(Accept("1"));
  RenderIt(Accept("2"));
  Status st = spool_->ResetControlNumber("acme", ControlKind::kIsa13, 2, Actor::Operator("ann"), "partner asked");
  EXPECT_EQ(st.code(), Code::kRejected);
  EXPECT_EQ(spool_->ResetControlNumber("acme", ControlKind::kIsa13, 500, Actor::Operator("ann"), "").code(),
            Code::kInvalidArgument);
  ASSERT_OK(spool_->ResetControlNumber("acme", ControlKind::kIsa13, 500, Actor::Operator("ann"),
                                       "new agreement"));
  EXPECT_EQ(RenderIt(Accept("3")).isa13, "000000500");
  auto db = Must(SqliteDb::Open(Options().path, {}));
  auto ev = Must(db->Prepare("SELECT from_state, to_state, actor, reason FROM events WHERE subject = 'control:acme:isa13'"));
  ASSERT_TRUE(Must(ev.Step()));
  EXPECT_EQ(ev.Text(0), "3");
  EXPECT_EQ(ev.Text(1), "500");
  EXPECT_EQ(ev.Text(2), "operator:ann");
  EXPECT_EQ(ev.Text(3), "new agreement");
}

TEST_F(OutboundTest, UploadSetsDeadlinesAndAcksMoveTheMessage) {
  const ItemId id = Accept("SO-9");
  const ControlNumbers cn = RenderIt(id);
  ASSERT_OK(Move(id, M::kRendered, M::kUploaded));
  const ItemSummary up = Must(spool_->Get(id));
  EXPECT_EQ(up.ack_due_at, clock_.Now() + hours(4));
  EXPECT_EQ(up.ship_due_at, clock_.Now() + hours(48));
  EXPECT_EQ(Must(spool_->GetStats()).overdue_acks, 0);
  clock_.Advance(hours(5));
  EXPECT_EQ(Must(spool_->GetStats()).overdue_acks, 1);
  AckReport ack;
  ack.partner = "acme";
  ack.gs06 = cn.gs06;
  ack.st02 = cn.st02;
  EXPECT_EQ(Must(spool_->ApplyAck(ack)), id);
  EXPECT_EQ(State(id), "acknowledged");
  Stats stats = Must(spool_->GetStats());
  EXPECT_EQ(stats.overdue_acks, 0);
  clock_.Advance(hours(48));
  EXPECT_EQ(Must(spool_->GetStats()).overdue_ships, 1);
  ASSERT_OK(Move(id, M::kAcknowledged, M::kFulfilled));
  EXPECT_EQ(Must(spool_->GetStats()).overdue_ships, 0);
  ack.gs06 = "nope";
  EXPECT_EQ(spool_->ApplyAck(ack).status().code(), Code::kNotFound);
}

TEST_F(OutboundTest, RejectingAckAndUploadRetries) {
  policies_.defaults.retry.jitter = 0;
  policies_.defaults.retry.initial_delay = seconds(5);
  Reopen();
  const ItemId id = Accept("SO-1");
  const ControlNumbers cn = RenderIt(id);
  FailureReport f;
  f.id = id;
  f.reason = "sftp: connection reset";
  const RetryDecision d = Must(spool_->RecordFailure(f));
  EXPECT_FALSE(d.dead);
  EXPECT_EQ(State(id), "rendered");
  EXPECT_EQ(Must(spool_->Get(id)).next_attempt_at, clock_.Now() + seconds(5));
  ASSERT_OK(Move(id, M::kRendered, M::kUploaded));
  AckReport ack;
  ack.partner = "acme";
  ack.gs06 = cn.gs06;
  ack.accepted = false;
  ack.reason = "AK5*R";
  ASSERT_EQ(Must(spool_->ApplyAck(ack)), id);
  EXPECT_EQ(State(id), "rejected");
}

// --- replay and release ---

TEST_F(SpoolTest, RedeliverKeepsTheKeyAndIsAudited) {
  const AddedMessage m = AddMessage("acme", {"SO"}, "bytes");
  ASSERT_OK(Move(m.id, M::kReceived, M::kParsed));
  ASSERT_OK(Move(m.id, M::kParsed, M::kMapped));
  ASSERT_OK(Move(m.id, M::kMapped, M::kDelivering));
  ASSERT_OK(Move(m.id, M::kDelivering, M::kDelivered));
  ReplayRequest r;
  r.id = m.id;
  r.mode = ReplayMode::kRedeliver;
  r.actor = Actor::Operator("bob");
  r.reason = "OMS lost it";
  r.dry_run = true;
  EXPECT_EQ(Must(spool_->Replay(r)).to, "mapped");
  EXPECT_EQ(State(m.id), "delivered");  // dry run changed nothing
  r.dry_run = false;
  const ReplayOutcome o = Must(spool_->Replay(r));
  EXPECT_TRUE(o.applied);
  const ItemSummary item = Must(spool_->Get(m.id));
  EXPECT_EQ(item.state, "mapped");
  EXPECT_EQ(item.idempotency_key, m.idempotency_key);
  const AuditEvent last = Must(spool_->History(m.id)).back();
  EXPECT_EQ(last.actor, "operator:bob");
  EXPECT_EQ(last.reason, "replay redeliver: OMS lost it");
  // Modes that do not apply to an inbound message are refused.
  r.mode = ReplayMode::kResend;
  EXPECT_EQ(spool_->Replay(r).status().code(), Code::kIllegalTransition);
}

TEST_F(SpoolTest, ReprocessAFileRequeuesItsSetsWithTheSameKeys) {
  const AddedMessage m = AddMessage("acme", {"SO"}, "bytes");
  const ItemId file = *Must(spool_->Get(m.id)).file_id;
  FileTransition ft;
  ft.id = file;
  ft.from = FileState::kReceived;
  ft.to = FileState::kParsed;
  ASSERT_OK(spool_->TransitionFile(ft));
  ASSERT_OK(Move(m.id, M::kReceived, M::kParsed));
  ASSERT_OK(Move(m.id, M::kParsed, M::kQuarantined));
  ReplayRequest r;
  r.id = file;
  r.mode = ReplayMode::kReprocess;
  r.actor = Actor::Operator("ann");
  const ReplayOutcome o = Must(spool_->Replay(r));
  EXPECT_EQ(o.kind, ItemKind::kFile);
  EXPECT_EQ(State(file), "received");
  EXPECT_EQ(State(m.id), "received");
  EXPECT_EQ(Must(spool_->Get(m.id)).idempotency_key, m.idempotency_key);
}

TEST_F(OutboundTest, ResendKeepsBytesRebuildNeedsForceAndReason) {
  const ItemId id = Accept("SO-1");
  const ControlNumbers cn = RenderIt(id);
  ASSERT_OK(Move(id, M::kRendered, M::kUploaded));
  ASSERT_OK(Move(id, M::kUploaded, M::kFulfilled));
  ReplayRequest r;
  r.id = id;
  r.actor = Actor::Operator("ann");
  r.mode = ReplayMode::kResend;
  EXPECT_EQ(Must(spool_->Replay(r)).to, "rendered");
  EXPECT_EQ(Must(spool_->Get(id)).control_numbers.isa13, cn.isa13);
  ASSERT_OK(Move(id, M::kRendered, M::kUploaded));
  r.mode = ReplayMode::kRebuild;
  EXPECT_EQ(spool_->Replay(r).status().code(), Code::kRejected);
  r.force = true;
  EXPECT_EQ(spool_->Replay(r).status().code(), Code::kRejected);  // still no reason
  r.reason = "3PL lost the 940";
  r.dry_run = true;
  EXPECT_EQ(Must(spool_->Replay(r)).to, "accepted");
  EXPECT_EQ(State(id), "uploaded");
  r.dry_run = false;
  ASSERT_TRUE(Must(spool_->Replay(r)).applied);
  EXPECT_EQ(State(id), "accepted");
  const ControlNumbers fresh = RenderIt(id);
  EXPECT_NE(fresh.isa13, cn.isa13);
  const AuditEvent e = Must(spool_->History(id)).at(Must(spool_->History(id)).size() - 2);
  EXPECT_NE(e.reason.find("3PL lost the 940"), std::string::npos);
  EXPECT_NE(e.reason.find("was ISA13 " + cn.isa13), std::string::npos);
}

TEST_F(SpoolTest, ReleaseOnlyDeadOrQuarantined) {
  const AddedMessage m = AddMessage("acme", {"SO"}, "bytes");
  EXPECT_EQ(spool_->Release(m.id, Actor::Operator("a"), "").status().code(), Code::kIllegalTransition);
  ASSERT_OK(Move(m.id, M::kReceived, M::kQuarantined));
  EXPECT_EQ(Must(spool_->Release(m.id, Actor::Operator("a"), "")).to, "received");
  EXPECT_EQ(spool_->Release(12345, Actor::Operator("a"), "").status().code(), Code::kNotFound);
}

// --- retention ---

TEST_F(SpoolTest, PurgeRemovesOnlyOldFinishedItemsAndTheirBlobs) {
  const AddedMessage done = AddMessage("acme", {"DONE"}, "done bytes");
  const AddedMessage dup = AddMessage("acme", {"DONE"}, "dup bytes");
  const AddedMessage stuck = AddMessage("acme", {"STUCK"}, "stuck bytes");
  for (const AddedMessage* m : {&done, &stuck}) {
    const ItemId file = *Must(spool_->Get(m->id)).file_id;
    FileTransition ft;
    ft.id = file;
    ft.from = FileState::kReceived;
    ft.to = FileState::kParsed;
    ASSERT_OK(spool_->TransitionFile(ft));
    ASSERT_OK(Move(m->id, M::kReceived, M::kParsed));
    ASSERT_OK(Move(m->id, M::kParsed, M::kMapped));
    ASSERT_OK(Move(m->id, M::kMapped, M::kDelivering));
  }
  ASSERT_OK(Move(done.id, M::kDelivering, M::kDelivered));
  FailureReport f;
  f.id = stuck.id;
  f.permanent = true;
  f.reason = "422";
  (void)Must(spool_->RecordFailure(f));
  const ItemId done_file = *Must(spool_->Get(done.id)).file_id;
  const std::string blob = spool_->path() + ".blobs/" + Must(spool_->Get(done_file)).sha256->substr(0, 2) +
                           "/" + *Must(spool_->Get(done_file)).sha256;
  // Too recent: nothing goes.
  PurgeReport r = Must(spool_->Purge(clock_.Now() - hours(24), Actor::Operator("ops")));
  EXPECT_EQ(r.messages, 0);
  clock_.Advance(hours(24 * 40));
  r = Must(spool_->Purge(clock_.Now() - hours(24 * 30), Actor::Operator("ops")));
  EXPECT_EQ(r.messages, 2);  // delivered + its duplicate
  EXPECT_EQ(r.files, 1);     // the delivered one's file; the dup's file is still 'received'
  EXPECT_EQ(r.blobs, 1);
  EXPECT_EQ(spool_->Get(done.id).status().code(), Code::kNotFound);
  EXPECT_EQ(spool_->Get(dup.id).status().code(), Code::kNotFound);
  EXPECT_EQ(State(stuck.id), "dead");  // never purge anything undelivered
  EXPECT_FALSE(Must(posix_.Exists(blob)));
  EXPECT_EQ(Must(spool_->IntegrityCheck()), "ok");
}

TEST_F(SpoolTest, InterruptedPurgeIsRecoveredOnOpen) {
  const IngestResult f = Ingest("acme", "keep me");
  // Simulate a purge that moved the blob to the trash and crashed before its commit.
  const std::string blobs = spool_->path() + ".blobs/";
  ASSERT_OK(posix_.Rename(blobs + f.sha256.substr(0, 2) + "/" + f.sha256, blobs + "trash/" + f.sha256));
  // And a trashed blob whose purge did commit.
  {
    auto w = Must(posix_.NewWritableFile(blobs + "trash/" + std::string(64, 'a')));
    ASSERT_OK(w->Close());
  }
  Reopen();
  StringSink sink;
  ASSERT_OK(spool_->ReadFile(f.id, sink));
  EXPECT_EQ(sink.out, "keep me");
  EXPECT_TRUE(Must(posix_.ListDir(blobs + "trash")).empty());
}

TEST_F(SpoolTest, StatsCountPerStatePartnerAndTypeWithOldestPendingAge) {
  AddMessage("acme", {"1"}, "a");
  AddMessage("acme", {"2"}, "b");
  AddMessage("globex", {"1"}, "c");
  clock_.Advance(minutes(7));
  const Stats s = Must(spool_->GetStats());
  int64_t acme_received = 0;
  for (const StatsRow& r : s.rows) {
    if (r.kind == ItemKind::kMessage && r.partner == "acme" && r.type == "945" && r.state == "received") {
      acme_received = r.count;
    }
  }
  EXPECT_EQ(acme_received, 2);
  EXPECT_EQ(s.oldest_pending_age, minutes(7));
}

TEST_F(SpoolTest, ListFilters) {
  AddMessage("acme", {"1"}, "a");
  AddMessage("globex", {"1"}, "b");
  ListFilter f;
  EXPECT_EQ(Must(spool_->List(f)).size(), 4u);  // 2 files + 2 messages
  f.partner = "acme";
  EXPECT_EQ(Must(spool_->List(f)).size(), 2u);
  f.type = "945";
  const auto msgs = Must(spool_->List(f));
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].kind, ItemKind::kMessage);
  f = {};
  f.since = clock_.Now() + seconds(1);
  EXPECT_TRUE(Must(spool_->List(f)).empty());
}

}  // namespace
}  // namespace spool::testing
