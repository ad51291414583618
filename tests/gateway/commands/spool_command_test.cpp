// End-to-end tests of `edigate spool ...`: the real binary on a temporary spool. Messages that
// only the daemon can create are set up through the spool library first.
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "spool/sqlite_spool.h"

namespace {

using nlohmann::json;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
  std::vector<json> Lines() const {
    std::vector<json> v;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) v.push_back(json::parse(line));
    return v;
  }
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class SpoolCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "spool-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = dir_ + "/spool.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `edigate spool <args> --spool <db>`; arguments must not need shell quoting beyond ''.
  CliRun Spool(const std::string& args, bool with_spool = true) {
    const std::string out = dir_ + "/out.txt";
    const std::string err = dir_ + "/err.txt";
    const std::string cmd = std::string(EDIGATE_BINARY) + " spool " + args +
                            (with_spool ? " --spool " + db_ : "") + " >" + out + " 2>" + err;
    const int status = std::system(cmd.c_str());
    CliRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }

  std::string WriteFile(const std::string& name, const std::string& bytes) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::unique_ptr<spool::SqliteSpool> Library() {
    spool::SqliteSpoolOptions o;
    o.path = db_;
    auto r = spool::SqliteSpool::Open(o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }

  std::string dir_;
  std::string db_;
};

TEST_F(SpoolCommandTest, IngestDuplicateAndListJson) {
  const std::string file = WriteFile("a.edi", "ISA*00*test~IEA*1*000000001~");
  CliRun r = Spool("ingest --partner acme --json " + file);
  ASSERT_EQ(r.code, 0) << r.err;
  const json first = r.Lines().at(0);
  EXPECT_EQ(first["state"], "received");
  r = Spool("ingest --partner acme " + file);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("duplicate of file " + std::to_string(first["id"].get<int>())), std::string::npos);

  r = Spool("list --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto items = r.Lines();
  ASSERT_EQ(items.size(), 2u);
  for (const json& j : items) {
    for (const char* key : {"id", "kind", "partner", "state", "sha256", "duplicate_of"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["kind"], "file");
    EXPECT_EQ(j["partner"], "acme");
  }
  EXPECT_TRUE(items[0]["duplicate_of"].is_null());
  EXPECT_EQ(items[1]["duplicate_of"], first["id"]);
  EXPECT_EQ(items[1]["state"], "duplicate");
  EXPECT_EQ(Spool("list --json --state duplicate").Lines().size(), 1u);
  EXPECT_EQ(Spool("list --json --partner other").Lines().size(), 0u);
  EXPECT_EQ(Spool("list --json --since 1h").Lines().size(), 2u);
  EXPECT_EQ(Spool("list --json --since 2001-01-01").Lines().size(), 2u);
  EXPECT_EQ(Spool("list --since yesterdayish").code, 2);
}

TEST_F(SpoolCommandTest, ShowReplayRedeliverAndReleaseAreAudited) {
  spool::ItemId msg = 0;
  spool::ItemId dead = 0;
  {
    auto sp = Library();
    spool::StringSource src("ISA*x~");
    auto file = sp->IngestFile({"acme", {}, spool::Actor::Daemon()}, src);
    ASSERT_TRUE(file.ok());
    std::vector<spool::InboundMessage> sets(2);
    for (int i = 0; i < 2; ++i) {
      sets[i].file_id = file->id;
      sets[i].set_index = i;
      sets[i].partner = "acme";
      sets[i].type = "945";
      sets[i].business_key = {"SO" + std::to_string(i), "BOL"};
    }
    auto added = sp->AddInboundMessages(sets, spool::Actor::Daemon());
    ASSERT_TRUE(added.ok());
    msg = (*added)[0].id;
    dead = (*added)[1].id;
    using M = spool::MessageState;
    for (spool::ItemId id : {msg, dead}) {
      for (auto [a, b] : {std::pair{M::kReceived, M::kParsed}, std::pair{M::kParsed, M::kMapped},
                          std::pair{M::kMapped, M::kDelivering}}) {
        spool::MessageTransition t{id, 0, a, b, spool::Actor::Daemon(), "test", std::nullopt};
        ASSERT_TRUE(sp->Transition(std::span(&t, 1)).ok());
      }
    }
    spool::MessageTransition t{msg, 0, M::kDelivering, M::kDelivered, spool::Actor::Daemon(), "2xx", std::nullopt};
    ASSERT_TRUE(sp->Transition(std::span(&t, 1)).ok());
    spool::FailureReport f;
    f.id = dead;
    f.permanent = true;
    f.reason = "HTTP 422";
    ASSERT_TRUE(sp->RecordFailure(f).ok());
  }
  CliRun r = Spool("list --json --type 945");
  ASSERT_EQ(r.Lines().size(), 2u);
  EXPECT_EQ(r.Lines()[0]["idempotency_key"], "acme:945:SO0:BOL");
  EXPECT_EQ(r.Lines()[0]["type"], "945");

  r = Spool("replay " + std::to_string(msg) + " --mode redeliver --dry-run --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.Lines()[0]["to"], "mapped");
  EXPECT_EQ(r.Lines()[0]["applied"], false);
  r = Spool("replay " + std::to_string(msg) + " --mode redeliver --actor ann --reason 'OMS lost it'");
  ASSERT_EQ(r.code, 0) << r.err;
  r = Spool("show " + std::to_string(msg) + " --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json shown = r.Lines().at(0);
  EXPECT_EQ(shown["state"], "mapped");
  EXPECT_EQ(shown["idempotency_key"], "acme:945:SO0:BOL");
  ASSERT_EQ(shown["history"].size(), 6u);
  EXPECT_EQ(shown["history"].back()["actor"], "operator:ann");
  EXPECT_EQ(shown["history"].back()["reason"], "replay redeliver: OMS lost it");
  r = Spool("show " + std::to_string(msg));
  EXPECT_NE(r.out.find("delivering -> delivered"), std::string::npos) << r.out;

  r = Spool("release " + std::to_string(dead) + " --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.Lines()[0]["from"], "dead");
  EXPECT_EQ(r.Lines()[0]["to"], "retry_wait");
  EXPECT_EQ(Spool("release " + std::to_string(dead)).code, 1);  // no longer dead
  EXPECT_EQ(Spool("replay " + std::to_string(msg) + " --mode resend").code, 1);

  r = Spool("stats --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json stats = r.Lines().at(0);
  EXPECT_TRUE(stats.contains("oldest_pending_age_seconds"));
  EXPECT_FALSE(stats["counts"].empty());
}

TEST_F(SpoolCommandTest, RebuildNeedsForceAndReasonResendDoesNot) {
  spool::ItemId id = 0;
  {
    auto sp = Library();
    spool::OutboundOrder o;
    o.partner = "acme";
    o.type = "940";
    o.business_key = {"SO-7"};
    auto added = sp->AcceptOutbound(o, spool::Actor::Api());
    ASSERT_TRUE(added.ok());
    id = added->id;
    ASSERT_TRUE(sp->Render(id, 0, [](const spool::ControlNumbers& cn) -> spool::Result<std::string> {
      return "ISA*" + cn.isa13 + "~";
    }, spool::Actor::Daemon()).ok());
    spool::MessageTransition t{id, 0, spool::MessageState::kRendered, spool::MessageState::kUploaded,
                               spool::Actor::Daemon(), "sftp", std::nullopt};
    ASSERT_TRUE(sp->Transition(std::span(&t, 1)).ok());
  }
  const std::string sid = std::to_string(id);
  CliRun r = Spool("replay " + sid + " --mode rebuild");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(Spool("replay " + sid + " --mode rebuild --force").code, 1);
  r = Spool("replay " + sid + " --mode resend --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.Lines()[0]["to"], "rendered");
  EXPECT_EQ(Spool("show " + sid + " --json").Lines()[0]["isa13"], "000000001");
  r = Spool("replay " + sid + " --mode rebuild --force --reason '3PL lost it' --actor bob --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.Lines()[0]["to"], "accepted");
  const json shown = Spool("show " + sid + " --json").Lines().at(0);
  EXPECT_EQ(shown["history"].back()["actor"], "operator:bob");
  EXPECT_NE(shown["history"].back()["reason"].get<std::string>().find("3PL lost it"), std::string::npos);
}

TEST_F(SpoolCommandTest, PurgeAndUsageErrors) {
  const std::string file = WriteFile("a.edi", "bytes");
  ASSERT_EQ(Spool("ingest --partner acme " + file).code, 0);
  CliRun r = Spool("purge --older-than 30 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.Lines()[0]["files"], 0);  // received, not finished: never purged
  EXPECT_EQ(Spool("list --json").Lines().size(), 1u);
  EXPECT_EQ(Spool("list", /*with_spool=*/false).code, 2);
  EXPECT_EQ(Spool("show 999").code, 1);
  EXPECT_EQ(Spool("show abc").code, 2);
  EXPECT_EQ(Spool("replay 1 --mode sideways").code, 2);
  EXPECT_EQ(Spool("ingest " + file).code, 2);  // no --partner
  EXPECT_EQ(Spool("ingest --partner acme " + dir_ + "/missing.edi").code, 1);
  EXPECT_EQ(Spool("frobnicate").code, 2);
  EXPECT_EQ(Spool("purge --older-than ten").code, 2);
}

}  // namespace
