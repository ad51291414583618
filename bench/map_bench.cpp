// Throughput of inbound mapping (`edigate map`) on a generated 945 file (bytes/s of X12 in),
// with its baseline in the same run:
//   BM_Validate  edi::Validate of the same file with a sink that ignores events: what mapping
//                pays before it does anything (the floor);
//   BM_Map       mapping::MapFile with the shipped config and partner example-3pl (sha256
//                pass, validation, set trees, rule evaluation, event JSON), into a sink that
//                only counts, so Map/Validate is the cost the mapper adds;
//   BM_MapSets   the mapper alone on one thread (no sha256 pass, no mapping threads), with
//                the compiled mapping (compiled:1) and with the rule-by-rule Evaluator
//                (compiled:0): their ratio is what the compiled form saves.
// The config is found as $EDIGATE_CONFIG or config.example.yaml in the current directory or
// above it: run from the repository, e.g. build/bench/map_bench [--benchmark_filter=Map].
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "bench/x12_generator.h"
#include "edi/byte_source.h"
#include "edi/validator.h"
#include "gateway/mapping/inbound.h"
#include "gateway/mapping/map_file.h"

namespace {

namespace fs = std::filesystem;

constexpr uint64_t kDataBytes = 16u << 20;

const std::string& DataFile() {
  static const std::string path = [] {
    const fs::path p = fs::temp_directory_path() / ("map_bench_945_" + std::to_string(::getpid()) + ".edi");
    std::ofstream(p, std::ios::binary) << x12gen::Generate(false, kDataBytes, 42);
    std::atexit([] { std::error_code ec; fs::remove(DataFile(), ec); });
    return p.string();
  }();
  return path;
}

std::string ConfigPath() {
  if (const char* c = std::getenv("EDIGATE_CONFIG")) return c;
  for (fs::path d = fs::current_path();; d = d.parent_path()) {
    if (fs::exists(d / "config.example.yaml")) return (d / "config.example.yaml").string();
    if (d == d.root_path() || d.empty()) return "config.example.yaml";
  }
}

class CountingSink : public gateway::mapping::InboundSink {
 public:
  void OnMapped(const gateway::mapping::MappedMessage& m) override {
    ++mapped;
    bytes += m.event.size() + 1;
  }
  void OnRejected(gateway::mapping::RejectedMessage) override { ++rejected; }
  void OnWarning(const std::string&) override {}
  size_t mapped = 0, rejected = 0, bytes = 0;
};

void BM_Validate(benchmark::State& state) {
  const std::string& file = DataFile();
  edi::ValidationSink sink;  // ignores every event
  for (auto _ : state) {
    auto source = edi::FileSource::Open(file);
    if (!source.ok()) {
      state.SkipWithError(source.error().message.c_str());
      return;
    }
    edi::Validate(**source, sink);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * fs::file_size(file)));
}

void BM_Map(benchmark::State& state) {
  const std::string& file = DataFile();
  auto setup = gateway::mapping::LoadPartnerSetup(ConfigPath(), "example-3pl");
  if (!setup.ok()) {
    state.SkipWithError(setup.status().message().c_str());
    return;
  }
  CountingSink sink;
  for (auto _ : state) {
    gateway::Status s = gateway::mapping::MapFile(file, *setup, false, sink);
    if (!s.ok()) {
      state.SkipWithError(s.message().c_str());
      return;
    }
  }
  if (sink.mapped == 0 || sink.rejected != 0) state.SkipWithError("the generated 945s did not all map");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * fs::file_size(file)));
  state.counters["json_bytes_per_input_byte"] =
      static_cast<double>(sink.bytes) / static_cast<double>(state.iterations() * fs::file_size(file));
}

void BM_MapSets(benchmark::State& state) {
  const std::string& file = DataFile();
  auto setup = gateway::mapping::LoadPartnerSetup(ConfigPath(), "example-3pl");
  if (!setup.ok()) {
    state.SkipWithError(setup.status().message().c_str());
    return;
  }
  gateway::mapping::InboundOptions options;
  options.profile = &setup->profile;
  options.mappings = setup->inbound;
  options.source.file = "bench.edi";
  options.source.sha256 = std::string(64, '0');
  options.compiled = state.range(0) != 0;
  CountingSink sink;
  for (auto _ : state) {
    auto source = edi::FileSource::Open(file);
    if (!source.ok()) {
      state.SkipWithError(source.error().message.c_str());
      return;
    }
    gateway::mapping::X12InboundMapper mapper(options, sink);
    edi::Validate(**source, mapper);
    mapper.Finish();
  }
  if (sink.mapped == 0 || sink.rejected != 0) state.SkipWithError("the generated 945s did not all map");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * fs::file_size(file)));
}

BENCHMARK(BM_Validate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Map)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MapSets)->ArgName("compiled")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
