// A SqliteSpool on a temporary database with a fake clock, for the spool's unit tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "spool/sqlite_spool.h"
#include "tests/spool/fakes.h"

namespace spool::testing {

#define ASSERT_OK(expr)                                    \
  do {                                                     \
    const ::spool::Status assert_ok_status_ = (expr);      \
    ASSERT_TRUE(assert_ok_status_.ok()) << assert_ok_status_.ToString(); \
  } while (0)

// Unwraps a Result or fails the test.
template <typename T>
T Must(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) std::abort();
  return std::move(r).value();
}

class SpoolTest : public ::testing::Test {
 protected:
  SqliteSpoolOptions Options() {
    SqliteSpoolOptions o;
    o.path = dir_.File("spool.db");
    o.clock = &clock_;
    o.fs = &fs_;
    o.seed = 42;
    o.policies = policies_;
    return o;
  }
  void Reopen() {
    spool_.reset();
    spool_ = Must(SqliteSpool::Open(Options()));
  }
  void SetUp() override { Reopen(); }

  IngestResult Ingest(const std::string& partner, const std::string& bytes) {
    StringSource src(bytes);
    IngestRequest req;
    req.partner = partner;
    req.origin.remote_path = "/out/" + partner + ".edi";
    return Must(spool_->IngestFile(req, src));
  }

  // Ingests a file and adds one inbound 945 with the given business key.
  AddedMessage AddMessage(const std::string& partner, std::vector<std::string> key,
                          const std::string& bytes, int64_t set_index = 0) {
    const IngestResult file = Ingest(partner, bytes);
    InboundMessage m;
    m.file_id = file.id;
    m.set_index = set_index;
    m.partner = partner;
    m.type = "945";
    m.business_key = std::move(key);
    m.control_numbers = {"000000001", "1", "0001"};
    auto added = Must(spool_->AddInboundMessages(std::span(&m, 1), Actor::Daemon()));
    return added.at(0);
  }

  Status Move(ItemId id, MessageState from, MessageState to, int64_t token = 0) {
    MessageTransition t;
    t.id = id;
    t.from = from;
    t.to = to;
    t.lease_token = token;
    t.reason = "test";
    return spool_->Transition(std::span(&t, 1));
  }

  std::string State(ItemId id) { return Must(spool_->Get(id)).state; }

  TempDir dir_;
  FakeClock clock_;
  PosixFileSystem posix_;
  FaultFileSystem fs_{posix_};
  PolicyBook policies_;
  std::unique_ptr<SqliteSpool> spool_;
};

}  // namespace spool::testing
