// ReadAhead: validating on two threads (a reading thread ahead of the validating one) must be
// invisible. Every sink callback, with its arguments, is the same as with the plain reader,
// for large valid files, damaged files (reader errors, resynchronisation, notices), and
// inputs that cross batch boundaries in every way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include "edi/byte_source.h"
#include "edi/read_ahead.h"
#include "edi/validator.h"
#include "tests/support/x12_text.h"

namespace {

void Add(std::string* out, const std::vector<edi::Error>& errors) {
  for (const edi::Error& e : errors) *out += "  " + e.Describe() + "\n";
}

// Writes down every callback and what it carried.
class Transcript : public edi::ValidationSink {
 public:
  void OnInterchangeStart(const edi::InterchangeInfo& i) override {
    text += "ISA " + std::to_string(i.index) + " " + std::to_string(i.offset) + " " + i.control + " " + i.sender() +
            " " + i.delimiters.element + i.delimiters.component + i.delimiters.terminator + "\n";
  }
  void OnGroupStart(const edi::GroupInfo& g) override { text += "GS " + g.control + " " + g.version + "\n"; }
  void OnSetStart(const edi::SetInfo& s) override { text += "ST " + s.id + " " + s.control + "\n"; }
  void OnSetSegment(const edi::Segment& s, const edi::SegmentContext& c) override {
    text += std::string(s.raw()) + " @" + std::to_string(s.offset()) + " " + std::to_string(c.position) + " " +
            std::string(c.loop_id) + " " + std::to_string(c.depth) + (c.starts_loop ? " new" : "") + "\n";
  }
  void OnSetEnd(const edi::SetResult& s) override {
    text += "SE " + std::string(1, s.status) + " " + std::to_string(s.error_count) + "\n";
    Add(&text, s.errors);
  }
  void OnGroupEnd(const edi::GroupResult& g) override {
    text += "GE " + std::string(1, g.ak9) + " " + std::to_string(g.accepted_sets) + "\n";
    Add(&text, g.errors);
  }
  void OnTa1(const edi::Segment& s) override { text += "TA1 " + std::string(s.raw()) + "\n"; }
  void OnInterchangeEnd(const edi::InterchangeResult& i) override {
    text += "IEA " + i.ta1_code + " " + std::to_string(i.duplicate_of) + "\n";
    Add(&text, i.errors);
  }
  void OnFileError(const edi::Error& e) override { text += "FILE " + e.Describe() + "\n"; }
  std::string text;
};

// The transcript of validating `input`, read `chunk` bytes at a time, with or without the
// reading thread.
std::string TranscriptOf(const std::string& input, bool threaded, size_t chunk = 256 * 1024) {
  edi::MemorySource source(input);
  edi::ValidationOptions options;
  options.read_ahead_bytes = threaded ? 0 : UINT64_MAX;
  options.reader.chunk_bytes = chunk;
  Transcript t;
  const edi::FileSummary s = edi::Validate(source, t, options);
  return t.text + "summary " + std::to_string(s.ok) + " " + std::to_string(s.not_x12) + " " + std::to_string(s.sets) + " " +
         std::to_string(s.rejected_sets) + "\n";
}

// A file of `interchanges` interchanges, each with `sets` 945s and 856s, delimiters varying.
std::string LargeFile(int interchanges, int sets) {
  std::string out;
  const char* elements = "*|^";
  for (int i = 0; i < interchanges; ++i) {
    std::vector<std::string> body;
    for (int k = 0; k < sets; ++k) {
      const std::string control = std::to_string(1000 + k);
      body.push_back(k % 3 == 2 ? x12test::Set856(control, "SH" + control)
                                : x12test::Set945(control, "SO" + control, "SH" + control, 1 + k % 7));
    }
    x12test::IsaFields isa;
    isa.control = std::to_string(100000000 + i);
    const std::string canonical = x12test::Interchange(body, "SW", isa);
    out += i % 3 == 0 ? canonical
                      : x12test::Redelimit(canonical, elements[i % 3], '>', i % 2 ? "~" : "\n", i % 2 ? "\r\n" : "");
  }
  return out;
}

TEST(ReadAhead, LargeValidFileGivesTheSameTranscript) {
  const std::string input = LargeFile(6, 400);  // tens of thousands of segments: many batches
  ASSERT_GT(input.size(), 2 * edi::ReadAhead::kBatchBytes);
  const std::string plain = TranscriptOf(input, false);
  EXPECT_NE(plain.find("SE A"), std::string::npos);
  EXPECT_EQ(plain, TranscriptOf(input, true));
}

TEST(ReadAhead, DamagedFilesGiveTheSameTranscript) {
  const std::string clean = LargeFile(3, 60);
  const std::string alphabet = "*~:>|^ABZ019-.\n\r \x01ISAGSE";
  std::mt19937 rng(424242);
  for (int round = 0; round < 40; ++round) {
    std::string input = clean;
    x12test::Damage(&input, rng, 1 + static_cast<int>(rng() % 40), alphabet, "garbage between\n");
    const size_t chunk = 64 + rng() % 8192;  // reads end anywhere
    const std::string plain = TranscriptOf(input, false, chunk);
    ASSERT_EQ(plain, TranscriptOf(input, true, chunk)) << "round " << round;
  }
}

TEST(ReadAhead, EdgeInputsGiveTheSameTranscript) {
  const std::string one = x12test::Interchange({x12test::Set945("0001", "SO1", "SH1")});
  std::string big_segment = x12test::Interchange(
      {x12test::Set945("0001", "SO1", "SH1"), "ST*945*0002~\nW06*N*" + std::string(600 * 1024, 'X') + "*20261120*S~\nSE*3*0002~\n"});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"not X12", "hello, this is not EDI\n"},
      {"BOM and blanks", "\xEF\xBB\xBF  \r\n" + one},
      {"no IEA, unterminated", one.substr(0, one.size() - 20)},
      {"NULs after the IEA", one + std::string(100, '\0')},
      {"segment larger than a batch", big_segment},
      {"wrapped at 80 columns", [&] {
         std::string w;
         for (size_t i = 0; i < one.size(); i += 80) w += one.substr(i, 80) + "\r\n";
         return w;
       }()},
  };
  for (const auto& [name, input] : cases) {
    EXPECT_EQ(TranscriptOf(input, false), TranscriptOf(input, true)) << name;
  }
}

// Everything Next() reports, segment by segment (segment bytes included).
std::string ReadOut(edi::ReadAhead& r) {
  std::string out;
  for (edi::ReadStatus st; (st = r.Next()) != edi::ReadStatus::kEnd;) {
    if (st == edi::ReadStatus::kError) {
      out += "error " + r.error().Describe() + "\n";
    } else {
      const edi::Segment& s = r.segment();
      out += std::string(s.raw()) + " @" + std::to_string(s.offset()) + " " + std::string(s.tag()) +
             (r.starts_interchange() ? " isa" : "") + (r.unterminated() ? " unterminated" : "") + "\n";
    }
    if (r.has_notices()) {
      for (const edi::Notice& n : r.TakeNotices()) out += "notice @" + std::to_string(n.offset) + " " + n.message + "\n";
    }
  }
  return out;
}

// The reading thread lends the reader its buffers and hands out segments in place: however
// the reads fall, a buffer is read into again only when no segment handed out lies in it.
TEST(ReadAhead, SegmentsInReaderBuffersStayIntact) {
  std::string wrapped;
  const std::string canonical = LargeFile(1, 40);
  for (size_t i = 0; i < canonical.size(); i += 80) wrapped += canonical.substr(i, 80) + "\r\n";
  const std::string long_segment = x12test::Interchange(
      {x12test::Set945("0001", "SO1", "SH1"), "ST*945*0002~\nW06*N*" + std::string(700 * 1024, 'X') + "*20261120*S~\nSE*3*0002~\n"});
  const std::string inputs[] = {LargeFile(3, 300), wrapped,
                                LargeFile(1, 3) + long_segment + "ISA*garbage\n" + std::string(300 * 1024, 'Z') + LargeFile(1, 50)};
  for (const std::string& input : inputs) {
    for (const size_t chunk : {size_t{64}, size_t{5000}, size_t{256 * 1024}}) {
      edi::ReaderOptions options;
      options.chunk_bytes = chunk;
      edi::MemorySource plain_source(input), threaded_source(input);
      edi::ReadAhead plain(plain_source, options, edi::SchemaRegistry::Builtin(), /*threaded=*/false);
      edi::ReadAhead threaded(threaded_source, options, edi::SchemaRegistry::Builtin(), /*threaded=*/true);
      ASSERT_EQ(ReadOut(plain), ReadOut(threaded)) << "chunk " << chunk;
    }
  }
}

TEST(ReadAhead, ProvesCleanSegmentsOnTheReadingThread) {
  const std::string input = LargeFile(1, 20);
  edi::MemorySource source(input);
  edi::ReadAhead ahead(source, edi::ReaderOptions{}, edi::SchemaRegistry::Builtin(), /*threaded=*/true);
  size_t segments = 0, proved = 0;
  while (ahead.Next() == edi::ReadStatus::kSegment) {
    ++segments;
    if (ahead.proved_clean() != nullptr) {
      ++proved;
      EXPECT_EQ(ahead.proved_clean()->tag, ahead.segment().tag());
    }
  }
  // Everything but the envelope segments (ISA, GS, ST, SE, GE, IEA) of a valid file.
  EXPECT_GT(proved, segments / 2);  // some may be left to the validating thread
  EXPECT_LT(proved, segments);
}

TEST(ReadAhead, StopsEarlyWithoutHanging) {
  const std::string input = LargeFile(4, 400);
  edi::MemorySource source(input);
  {
    edi::ReadAhead ahead(source, edi::ReaderOptions{}, edi::SchemaRegistry::Builtin(), /*threaded=*/true);
    for (int i = 0; i < 10; ++i) ASSERT_EQ(ahead.Next(), edi::ReadStatus::kSegment);
  }  // destroyed with the reading thread blocked on a full queue: it must stop and join
  SUCCEED();
}

}  // namespace

namespace {

// A source whose reads fail once `fail_at` bytes were delivered (a disk error, a dropped
// download); until then it gives at most `step` bytes per read.
class FailingSource final : public edi::ByteSource {
 public:
  FailingSource(std::string data, size_t fail_at, size_t step) : data_(std::move(data)), fail_at_(fail_at), step_(step) {}
  edi::Result<size_t> Read(char* dst, size_t n) override {
    if (pos_ >= fail_at_) return edi::FileError("read error at byte " + std::to_string(pos_));
    const size_t k = std::min({n, step_, fail_at_ - pos_, data_.size() - pos_});
    std::memcpy(dst, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t fail_at_, step_, pos_ = 0;
};

// A read error is reported once and ends the input, with or without the reading thread (it
// used to be returned again on every call: validation never finished).
TEST(ReadAhead, ReadErrorEndsTheInputOnceWithTheSameTranscript) {
  const std::string input = LargeFile(2, 200);
  for (const size_t fail_at : {size_t{0}, size_t{50}, input.size() / 3, input.size() - 10}) {
    std::string transcripts[2];
    for (int threaded = 0; threaded < 2; ++threaded) {
      FailingSource source(input, fail_at, 7000);
      edi::ValidationOptions options;
      options.read_ahead_bytes = threaded ? 0 : UINT64_MAX;
      Transcript t;
      const edi::FileSummary s = edi::Validate(source, t, options);  // must return, not spin
      EXPECT_FALSE(s.ok) << fail_at;
      transcripts[threaded] = t.text;
    }
    EXPECT_EQ(transcripts[0], transcripts[1]) << fail_at;
    // The error is reported once, naming the position.
    const std::string& text = transcripts[0];
    const size_t first = text.find("read error at byte " + std::to_string(fail_at));
    ASSERT_NE(first, std::string::npos) << text.substr(0, 2000);
    EXPECT_EQ(text.find("read error", first + 1), std::string::npos) << fail_at << "\n" << text.substr(first > 300 ? first - 300 : 0, 1200);
  }
}

}  // namespace
