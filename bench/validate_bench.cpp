// Throughput of edi validation on generated in-memory 945 and 856 data (bytes/s), with the
// baselines it is read against, in the same run:
//   BM_MemchrSplit   splits segments and elements with memchr and nothing else: the floor of
//                    any reader, so Validate/MemchrSplit is the cost of everything edi adds;
//   BM_Read          SegmentReader alone (buffering, quirk handling, element views);
//   BM_Validate      edi::Validate with a sink that ignores events (what every consumer pays);
//   BM_ValidateJson  edi::Validate into the JSON report of `edigate validate --json`, written
//                    to a discarding stream (whether the report is a bottleneck when all is OK).
// Run: build/bench/validate_bench [--benchmark_filter=945]
#include <benchmark/benchmark.h>

#include <cstring>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

#include "bench/x12_generator.h"
#include "edi/byte_source.h"
#include "edi/segment_reader.h"
#include "edi/validator.h"
#include "gateway/report/validation_report.h"

namespace {

constexpr uint64_t kDataBytes = 16u << 20;

const std::string& Data(bool is856) {
  static const std::string d945 = x12gen::Generate(false, kDataBytes, 42);
  static const std::string d856 = x12gen::Generate(true, kDataBytes, 42);
  return is856 ? d856 : d945;
}

// The generator writes "~\n" after every segment and '*' between elements.
void BM_MemchrSplit(benchmark::State& state) {
  const std::string& data = Data(state.range(0) == 856);
  for (auto _ : state) {
    size_t segments = 0, elements = 0;
    const char* p = data.data();
    const char* const end = p + data.size();
    while (p < end) {
      while (p < end && (*p == '\n' || *p == '\r')) ++p;
      if (p == end) break;
      const char* t = static_cast<const char*>(std::memchr(p, '~', static_cast<size_t>(end - p)));
      if (t == nullptr) t = end;
      ++segments;
      for (const char* q = p;;) {
        const char* s = static_cast<const char*>(std::memchr(q, '*', static_cast<size_t>(t - q)));
        ++elements;
        if (s == nullptr) break;
        q = s + 1;
      }
      p = t + 1;
    }
    benchmark::DoNotOptimize(segments);
    benchmark::DoNotOptimize(elements);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}

void BM_Read(benchmark::State& state) {
  const std::string& data = Data(state.range(0) == 856);
  for (auto _ : state) {
    edi::MemorySource source(data);
    edi::SegmentReader reader(source);
    size_t segments = 0, elements = 0;
    while (reader.Next() == edi::ReadStatus::kSegment) {
      ++segments;
      elements += reader.segment().size();
    }
    benchmark::DoNotOptimize(segments);
    benchmark::DoNotOptimize(elements);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}

void BM_Validate(benchmark::State& state) {
  const std::string& data = Data(state.range(0) == 856);
  edi::ValidationSink sink;  // ignores every event
  for (auto _ : state) {
    edi::MemorySource source(data);
    edi::FileSummary summary = edi::Validate(source, sink);
    if (!summary.ok) state.SkipWithError("generated data did not validate");
    benchmark::DoNotOptimize(summary);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}

class NullBuffer final : public std::streambuf {
 protected:
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

void BM_ValidateJson(benchmark::State& state) {
  const std::string& data = Data(state.range(0) == 856);
  NullBuffer buffer;
  std::ostream out(&buffer);
  for (auto _ : state) {
    edi::MemorySource source(data);
    gateway::JsonValidationReport report(out, "bench.x12");
    edi::FileSummary summary = edi::Validate(source, report);
    report.Finish(summary);
    if (!summary.ok) state.SkipWithError("generated data did not validate");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}

BENCHMARK(BM_MemchrSplit)->Arg(945)->Arg(856)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Read)->Arg(945)->Arg(856)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Validate)->Arg(945)->Arg(856)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ValidateJson)->Arg(945)->Arg(856)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
