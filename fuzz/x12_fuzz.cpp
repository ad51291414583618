// libFuzzer target: arbitrary bytes through the whole X12 path the gateway runs on a partner's
// file: SegmentReader (with a tiny chunk size picked by the first byte, so every buffer refill
// and boundary case is exercised), Validator, AckBuilder (997/TA1 out) and AckReader (997/999/
// TA1 in), then the acknowledgments we built are read back. Any crash, sanitizer report or
// leak is a finding; so is an acknowledgment we would send that is not X12 itself.
//
// Build and run: scripts/fuzz [SECONDS]   (clang, -DEDIGATE_FUZZ=ON, build-fuzz/)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "edi/edi.h"

namespace {

// Chunk sizes from the first input byte: mostly tiny, so refills land everywhere.
constexpr size_t kChunkSizes[] = {1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 64, 100, 255, 1024, 4096, 65536};

edi::AckOptions FuzzAckOptions(bool inbound_delimiters) {
  edi::AckOptions options;
  options.use_inbound_delimiters = inbound_delimiters;
  options.envelope = [](const edi::InterchangeInfo&) {
    edi::AckEnvelope env;
    env.interchange_control = 900000001;
    env.group_control = 7001;
    env.set_control = 1;
    env.date = "20240229";
    env.time = "2359";
    return env;
  };
  return options;
}

// Touches every view a consumer may take of a segment.
size_t WalkSegment(const edi::Segment& seg) {
  size_t n = seg.tag().size() + seg.raw().size();
  for (size_t i = 1; i <= seg.size() + 1; ++i) {
    const size_t comps = seg.component_count(i);
    for (size_t c = 1; c <= comps + 1 && c < 64; ++c) n += seg.component(i, c).size();
    n += seg.repetition(i, 1).size() + seg.repetition(i, 2).size();
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  edi::ValidationOptions options;
  options.reader.chunk_bytes = kChunkSizes[control & 15];
  // Sometimes a small segment cap and set cap, to reach those error paths with short inputs.
  if ((control & 0x10) != 0) options.reader.max_segment_bytes = 64 + (control >> 5) * 32;
  if ((control & 0x20) != 0) options.max_set_bytes = 256;
  options.max_errors_per_set = (control & 0x40) != 0 ? 3 : 100;
  options.strict_functional_id = (control & 0x80) != 0;

  // The reader alone, walking every component and repetition.
  {
    edi::MemorySource source(input);
    edi::SegmentReader reader(source, options.reader);
    size_t sum = 0;
    for (int guard = 0; guard < 1000000; ++guard) {
      const edi::ReadStatus st = reader.Next();
      if (st == edi::ReadStatus::kEnd) break;
      if (st == edi::ReadStatus::kSegment) sum += WalkSegment(reader.segment());
      sum += reader.TakeNotices().size();
    }
    if (sum == 0xFFFFFFFFFFFFull) std::abort();  // keeps the walk from being optimised out
  }

  // Validation into the acknowledgment builder, then each acknowledgment read back.
  edi::AckBuilder builder(FuzzAckOptions((control & 1) != 0));
  {
    edi::MemorySource source(input);
    (void)edi::Validate(source, builder, options);
  }
  std::vector<edi::Acknowledgment> acks = builder.Take();
  // Half the inputs again with the reading thread (ReadAhead): the same acknowledgments.
  if ((control & 2) != 0) {
    edi::AckBuilder threaded(FuzzAckOptions((control & 1) != 0));
    edi::ValidationOptions with_thread = options;
    with_thread.read_ahead_bytes = 0;
    edi::MemorySource source(input);
    (void)edi::Validate(source, threaded, with_thread);
    const std::vector<edi::Acknowledgment> again = threaded.Take();
    bool same = again.size() == acks.size();
    for (size_t i = 0; same && i < acks.size(); ++i) same = again[i].bytes == acks[i].bytes;
    if (!same) {
      std::fprintf(stderr, "validation with the reading thread acknowledged differently\n");
      std::abort();
    }
  }
  for (const edi::Acknowledgment& ack : acks) {
    if (!ack.status.ok()) continue;
    edi::MemorySource source(ack.bytes);
    edi::AckReader reader;
    const edi::FileSummary summary = edi::Validate(source, reader);
    if (summary.not_x12 || summary.interchanges != 1) {
      std::fprintf(stderr, "an acknowledgment we built is not one X12 interchange:\n%s\n",
                   ack.bytes.c_str());
      std::abort();
    }
  }

  // The input as an inbound acknowledgment.
  {
    edi::MemorySource source(input);
    edi::AckReader reader;
    (void)edi::Validate(source, reader, options);
    size_t n = 0;
    for (const edi::GroupAck& g : reader.document().groups) {
      for (const edi::SetAck& s : g.sets) n += static_cast<size_t>(g.StatusOf(s.control));
    }
    if (n == 1) return 0;
  }
  return 0;
}
