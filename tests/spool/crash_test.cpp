// Crash test: start a writer process (crash_writer.cpp), SIGKILL it at a random moment, reopen
// the spool and check the invariants; repeat (200 kills by default, SPOOL_CRASH_KILLS to
// change). Checked after every kill: every acknowledged intake is present with the right bytes,
// PRAGMA integrity_check is ok, each message's state agrees with the last event of its audit
// log (no message is in two states), no idempotency key is delivered twice, no outbound
// control number is used twice.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <map>
#include <random>
#include <sstream>

#include "spool/sha256.h"
#include "tests/spool/crash_workload.h"
#include "tests/spool/spool_fixture.h"

extern char** environ;

namespace spool::testing {
namespace {

struct Acked {
  ItemId id;
  std::string sha256;
};

// Runs the writer until it has printed `lines` ACK lines plus a random moment, then kills it.
// Returns everything it printed.
std::string RunAndKill(const std::string& db, int64_t first, uint64_t seed, int lines,
                       long extra_ns) {
  int out[2];
  if (::pipe(out) != 0) std::abort();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const std::string first_s = std::to_string(first);
  const std::string seed_s = std::to_string(seed);
  char* argv[] = {const_cast<char*>(SPOOL_CRASH_WRITER), const_cast<char*>(db.c_str()),
                  const_cast<char*>(first_s.c_str()), const_cast<char*>(seed_s.c_str()), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, SPOOL_CRASH_WRITER, &actions, nullptr, argv, environ) != 0) std::abort();
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  std::string text;
  char buf[4096];
  int seen = 0;
  while (seen < lines) {
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;  // the writer died by itself: the checks below will say why
    for (ssize_t k = 0; k < n; ++k) seen += buf[k] == '\n';
    text.append(buf, static_cast<std::size_t>(n));
  }
  // The kill lands at a random point of whatever the writer is doing by then.
  timespec ts{0, extra_ns};
  ::nanosleep(&ts, nullptr);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  for (;;) {
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  EXPECT_TRUE(WIFSIGNALED(status)) << "writer exited by itself with status " << status;
  return text;
}

int64_t Scalar(SqliteDb& db, const char* sql) {
  auto stmt = Must(db.Prepare(sql));
  EXPECT_TRUE(Must(stmt.Step()));
  return stmt.Int(0);
}

TEST(CrashTest, KilledWriterLosesNothingAndCorruptsNothing) {
  TempDir dir;
  const std::string db_path = dir.File("spool.db");
  const char* env = std::getenv("SPOOL_CRASH_KILLS");
  const int kills = env ? std::atoi(env) : 200;
  std::mt19937_64 rng(20261120);
  std::map<int64_t, Acked> acked;
  int64_t next = 0;
  for (int round = 0; round < kills; ++round) {
    const int lines = static_cast<int>(rng() % 4);
    const long extra_ns = static_cast<long>(rng() % 4'000'000);
    const std::string out = RunAndKill(db_path, next, rng(), lines, extra_ns);
    std::istringstream in(out);
    std::string line;
    std::vector<int64_t> fresh;
    while (std::getline(in, line)) {
      if (in.eof() && !out.empty() && out.back() != '\n') break;  // torn last line: not an ack
      std::istringstream ls(line);
      std::string word;
      int64_t i = 0;
      Acked a{};
      ls >> word >> i >> a.id >> a.sha256;
      ASSERT_EQ(word, "ACK") << line;
      acked[i] = a;
      fresh.push_back(i);
      next = std::max(next, i + 1);
    }

    SqliteSpoolOptions o;
    o.path = db_path;
    auto sp = Must(SqliteSpool::Open(o));
    ASSERT_EQ(Must(sp->IntegrityCheck()), "ok") << "round " << round;
    // This round's acks, plus a sample of older ones.
    std::vector<int64_t> check = fresh;
    for (int k = 0; k < 8 && !acked.empty(); ++k) {
      auto it = acked.begin();
      std::advance(it, static_cast<long>(rng() % acked.size()));
      check.push_back(it->first);
    }
    for (int64_t i : check) {
      const Acked& a = acked[i];
      const auto item = sp->Get(a.id);
      ASSERT_TRUE(item.ok()) << "acked file " << i << " (id " << a.id << ") missing after round " << round;
      EXPECT_EQ(item->sha256, a.sha256);
      StringSink sink;
      ASSERT_OK(sp->ReadFile(a.id, sink));
      ASSERT_EQ(sink.out, CrashFileBytes(i)) << "file " << i;
    }
    sp.reset();
    auto db = Must(SqliteDb::Open(db_path, {}));
    EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM (SELECT idempotency_key FROM messages WHERE "
                          "state = 'delivered' GROUP BY idempotency_key HAVING count(*) > 1)"),
              0)
        << "an idempotency key was delivered twice";
    EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM messages m WHERE m.state != (SELECT to_state "
                          "FROM events e WHERE e.item_id = m.id AND e.subject IS NULL "
                          "ORDER BY e.id DESC LIMIT 1)"),
              0)
        << "a message's state disagrees with its audit log";
    EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM files f WHERE f.state != (SELECT to_state "
                          "FROM events e WHERE e.item_id = f.id AND e.subject IS NULL "
                          "ORDER BY e.id DESC LIMIT 1)"),
              0);
    EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM items i WHERE (SELECT count(*) FROM files f "
                          "WHERE f.id = i.id) + (SELECT count(*) FROM messages m WHERE m.id = "
                          "i.id) != 1"),
              0)
        << "an item is not exactly one file or one message";
    EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM (SELECT isa13 FROM messages WHERE direction = "
                          "'outbound' AND isa13 IS NOT NULL GROUP BY partner, isa13 HAVING "
                          "count(*) > 1)"),
              0)
        << "an ISA13 was used twice";
    if (::testing::Test::HasFailure()) break;
  }
  // Finally every acknowledged file, once more.
  SqliteSpoolOptions o;
  o.path = db_path;
  auto sp = Must(SqliteSpool::Open(o));
  for (const auto& [i, a] : acked) {
    StringSink sink;
    ASSERT_OK(sp->ReadFile(a.id, sink));
    ASSERT_EQ(sink.out, CrashFileBytes(i));
  }
  auto db = Must(SqliteDb::Open(db_path, {}));
  RecordProperty("acked_files", static_cast<int>(acked.size()));
  RecordProperty("delivered", static_cast<int>(Scalar(*db, "SELECT count(*) FROM messages WHERE state = 'delivered'")));
  std::printf("crash test: %d kills, %zu acknowledged files, %lld delivered messages, %lld rendered 940s\n",
              kills, acked.size(),
              static_cast<long long>(Scalar(*db, "SELECT count(*) FROM messages WHERE state = 'delivered'")),
              static_cast<long long>(Scalar(*db, "SELECT count(*) FROM messages WHERE isa13 IS NOT NULL AND direction = 'outbound'")));
}

}  // namespace
}  // namespace spool::testing
