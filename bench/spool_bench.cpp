// Spool throughput with durable commits (synchronous=FULL, every commit fsynced): file intake,
// message intake and state transitions, one per transaction and batched; and how the time per
// operation and the database size grow from 10k to 1M messages.
//   spool_bench --benchmark_filter=Growth   (the 1M case takes a minute to populate)
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "spool/sqlite_spool.h"

namespace {

namespace fs = std::filesystem;
using spool::MessageState;

struct BenchSpool {
  BenchSpool() {
    std::string tmpl = (fs::temp_directory_path() / "spool-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    dir = tmpl;
    spool::SqliteSpoolOptions o;
    o.path = dir + "/spool.db";
    auto r = spool::SqliteSpool::Open(o);
    if (!r.ok()) std::abort();
    sp = std::move(r).value();
    spool::StringSource src("container");
    file_id = sp->IngestFile({"bench", {}, spool::Actor::Daemon()}, src).value().id;
  }
  ~BenchSpool() {
    sp.reset();
    fs::remove_all(dir);
  }
  int64_t DbBytes() const {
    int64_t total = 0;
    for (const char* suffix : {"", "-wal"}) {
      std::error_code ec;
      const auto n = fs::file_size(dir + "/spool.db" + suffix, ec);
      if (!ec) total += static_cast<int64_t>(n);
    }
    return total;
  }
  // Adds `n` inbound 945s in batches of `batch`; returns their ids.
  std::vector<spool::ItemId> Add(int64_t n, int64_t batch) {
    std::vector<spool::ItemId> ids;
    std::vector<spool::InboundMessage> sets;
    for (int64_t i = 0; i < n; ++i) {
      spool::InboundMessage m;
      m.file_id = file_id;
      m.set_index = next_set++;
      m.partner = "bench";
      m.type = "945";
      m.business_key = {"SO" + std::to_string(m.set_index), "BOL"};
      m.control_numbers = {"000000001", "1", "0001"};
      m.payload = R"({"type":"shipment_confirmation","data":{"order":"SO1","lines":3}})";
      sets.push_back(std::move(m));
      if (static_cast<int64_t>(sets.size()) == batch || i + 1 == n) {
        auto r = sp->AddInboundMessages(sets, spool::Actor::Daemon());
        if (!r.ok()) std::abort();
        for (const auto& a : *r) ids.push_back(a.id);
        sets.clear();
      }
    }
    return ids;
  }

  std::string dir;
  std::unique_ptr<spool::SqliteSpool> sp;
  spool::ItemId file_id = 0;
  int64_t next_set = 0;
};

void BM_IngestFile(benchmark::State& state) {
  BenchSpool b;
  const std::string body(static_cast<std::size_t>(state.range(0)), 'x');
  int64_t i = 0;
  for (auto _ : state) {
    const std::string bytes = body + std::to_string(i++);
    spool::StringSource src(bytes);
    spool::IngestRequest req;
    req.partner = "bench";
    req.origin.remote_path = "/in/f";
    if (!b.sp->IngestFile(req, src).ok()) std::abort();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_IngestFile)->Arg(4 << 10)->Arg(1 << 20)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_AddMessages(benchmark::State& state) {
  BenchSpool b;
  const int64_t batch = state.range(0);
  for (auto _ : state) b.Add(batch, batch);
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_AddMessages)->Arg(1)->Arg(100)->UseRealTime()->Unit(benchmark::kMicrosecond);

// received -> parsed, `batch` messages per transaction.
void BM_Transition(benchmark::State& state) {
  BenchSpool b;
  const int64_t batch = state.range(0);
  std::vector<spool::ItemId> ids;
  std::size_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (next + static_cast<std::size_t>(batch) > ids.size()) {
      ids = b.Add(std::max<int64_t>(batch, 2000), 1000);
      next = 0;
    }
    std::vector<spool::MessageTransition> changes;
    for (int64_t k = 0; k < batch; ++k) {
      changes.push_back({ids[next++], 0, MessageState::kReceived, MessageState::kParsed,
                         spool::Actor::Daemon(), "bench", std::nullopt});
    }
    state.ResumeTiming();
    if (!b.sp->Transition(changes).ok()) std::abort();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_Transition)->Arg(1)->Arg(100)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Claim + one transition under the lease: a worker's loop.
void BM_ClaimAndStep(benchmark::State& state) {
  BenchSpool b;
  b.Add(20000, 1000);
  spool::ClaimRequest c;
  c.worker = "bench";
  c.limit = static_cast<int>(state.range(0));
  c.states = {MessageState::kReceived};
  for (auto _ : state) {
    auto leases = b.sp->Claim(c);
    if (leases.ok() && leases->empty()) {
      state.PauseTiming();
      b.Add(20000, 1000);
      state.ResumeTiming();
      leases = b.sp->Claim(c);
    }
    if (!leases.ok()) std::abort();
    std::vector<spool::MessageTransition> changes;
    for (const auto& l : *leases) {
      changes.push_back({l.id, l.token, MessageState::kReceived, MessageState::kParsed,
                         spool::Actor::Daemon(), "bench", std::nullopt});
    }
    if (!b.sp->Transition(changes).ok()) std::abort();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ClaimAndStep)->Arg(1)->Arg(50)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Growth: with N messages already spooled, the cost of adding one and of moving one, and the
// database size per message.
void BM_Growth(benchmark::State& state) {
  BenchSpool b;
  const int64_t n = state.range(0);
  std::vector<spool::ItemId> ids = b.Add(n, 5000);
  std::size_t next = 0;
  for (auto _ : state) {
    b.Add(1, 1);
    spool::MessageTransition t{ids[next++ % ids.size()], 0, MessageState::kReceived,
                               MessageState::kParsed, spool::Actor::Daemon(), "bench", std::nullopt};
    if (next > ids.size()) t.from = MessageState::kParsed, t.to = MessageState::kMapped;
    if (!b.sp->Transition(std::span(&t, 1)).ok()) std::abort();
    state.PauseTiming();
    if (next % 1000 == 0) (void)b.sp->GetStats();
    state.ResumeTiming();
  }
  state.counters["messages"] = static_cast<double>(n);
  state.counters["db_MB"] = static_cast<double>(b.DbBytes()) / 1e6;
  state.counters["bytes_per_msg"] = static_cast<double>(b.DbBytes()) / static_cast<double>(n);
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_Growth)->Arg(10000)->Arg(100000)->Arg(1000000)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
