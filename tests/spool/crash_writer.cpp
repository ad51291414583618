// The process the crash test kills: ingests files and drives messages through both state
// machines as fast as it can, printing "ACK <i> <file id> <sha256>" once file i is durably
// received. Usage: spool_crash_writer DB FIRST_INDEX SEED
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "spool/sqlite_spool.h"
#include "tests/spool/crash_workload.h"

namespace {

using spool::MessageState;
using M = spool::MessageState;

[[noreturn]] void Die(const spool::Status& st, const char* what) {
  std::fprintf(stderr, "crash_writer: %s: %s\n", what, st.ToString().c_str());
  std::exit(3);
}

template <typename T>
T Must(spool::Result<T> r, const char* what) {
  if (!r.ok()) Die(r.status(), what);
  return std::move(r).value();
}

void MustOk(const spool::Status& st, const char* what) {
  // Losing a lease is normal here (an earlier incarnation's lease may still be live).
  if (!st.ok() && st.code() != spool::Code::kLeaseLost) Die(st, what);
}

void Say(const std::string& line) {
  // One write(2) per line, so a kill never leaves half a line that claims a durable file.
  const std::string text = line + "\n";
  if (::write(STDOUT_FILENO, text.data(), text.size()) != static_cast<ssize_t>(text.size())) std::exit(4);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: spool_crash_writer DB FIRST_INDEX SEED\n");
    return 2;
  }
  spool::SqliteSpoolOptions options;
  options.path = argv[1];
  options.seed = std::strtoull(argv[3], nullptr, 10);
  options.policies.defaults.retry.initial_delay = std::chrono::microseconds(200);
  options.policies.defaults.retry.max_delay = std::chrono::milliseconds(2);
  options.policies.defaults.retry.max_age.reset();
  auto sp = Must(spool::SqliteSpool::Open(options), "open");
  std::mt19937_64 rng(*options.seed);
  const std::string partner = spool::testing::kCrashPartner;
  const auto lease = std::chrono::milliseconds(20);

  for (int64_t i = std::strtoll(argv[2], nullptr, 10);; ++i) {
    const std::string bytes = spool::testing::CrashFileBytes(i);
    spool::StringSource src(bytes);
    spool::IngestRequest req;
    req.partner = partner;
    req.origin.remote_path = "/in/" + std::to_string(i) + ".edi";
    const auto file = Must(sp->IngestFile(req, src), "ingest");
    Say("ACK " + std::to_string(i) + " " + std::to_string(file.id) + " " + file.sha256);

    spool::InboundMessage sets[2];
    for (int s = 0; s < 2; ++s) {
      sets[s].file_id = file.id;
      sets[s].set_index = s;
      sets[s].partner = partner;
      sets[s].type = "945";
      // Set 0 repeats the previous file's key every other file: business duplicates.
      sets[s].business_key = {s == 0 ? "K" + std::to_string(i / 2) : "L" + std::to_string(i)};
    }
    (void)Must(sp->AddInboundMessages(sets, spool::Actor::Daemon()), "add");

    spool::ClaimRequest files;
    files.kind = spool::ItemKind::kFile;
    files.worker = "writer";
    files.lease = lease;
    files.limit = 4;
    for (const spool::Lease& l : Must(sp->Claim(files), "claim files")) {
      spool::FileTransition t;
      t.id = l.id;
      t.lease_token = l.token;
      t.to = spool::FileState::kParsed;
      MustOk(sp->TransitionFile(t), "file parsed");
    }

    spool::ClaimRequest work;
    work.direction = spool::Direction::kInbound;
    work.worker = "writer";
    work.lease = lease;
    work.limit = 8;
    for (const spool::Lease& l : Must(sp->Claim(work), "claim")) {
      const M from = spool::ParseMessageState(l.state).value();
      auto step = [&](M a, M b) {
        spool::MessageTransition t;
        t.id = l.id;
        t.lease_token = l.token;
        t.from = a;
        t.to = b;
        t.reason = "crash workload";
        return sp->Transition(std::span(&t, 1));
      };
      if (from == M::kReceived) {
        MustOk(step(M::kReceived, M::kParsed), "parsed");
      } else if (from == M::kParsed) {
        MustOk(step(M::kParsed, M::kMapped), "mapped");
      } else {
        if (from != M::kDelivering) {
          spool::Status st = step(from, M::kDelivering);
          if (!st.ok()) {
            MustOk(st, "delivering");
            continue;
          }
        }
        if (rng() % 5 == 0) {
          spool::FailureReport f;
          f.id = l.id;
          f.lease_token = l.token;
          f.reason = "HTTP 503 (simulated)";
          auto r = sp->RecordFailure(f);
          if (!r.ok()) MustOk(r.status(), "failure");
        } else {
          MustOk(step(M::kDelivering, M::kDelivered), "delivered");
        }
      }
    }

    if (i % 3 == 0) {
      spool::OutboundOrder o;
      o.partner = partner;
      o.type = "940";
      o.business_key = {"O" + std::to_string(i)};
      o.ack_within = std::chrono::hours(1);
      (void)Must(sp->AcceptOutbound(o, spool::Actor::Api()), "accept");
      spool::ClaimRequest out;
      out.direction = spool::Direction::kOutbound;
      out.worker = "writer";
      out.lease = lease;
      out.limit = 4;
      for (const spool::Lease& l : Must(sp->Claim(out), "claim out")) {
        if (l.state == "accepted") {
          auto r = sp->Render(l.id, l.token, [](const spool::ControlNumbers& cn) -> spool::Result<std::string> {
            return "ISA*" + cn.isa13 + "~GS*" + cn.gs06 + "~ST*940*" + cn.st02 + "~";
          }, spool::Actor::Daemon());
          if (!r.ok()) MustOk(r.status(), "render");
        } else {
          spool::MessageTransition t;
          t.id = l.id;
          t.lease_token = l.token;
          t.from = M::kRendered;
          t.to = M::kUploaded;
          MustOk(sp->Transition(std::span(&t, 1)), "uploaded");
        }
      }
    }
  }
}
