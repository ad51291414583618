// SegmentWriter, FormatIsa and InterchangeWriter, and the round-trip property: whatever the
// writer produces, the reader reads back element for element, with any delimiter set.
#include "edi/writer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "edi/byte_source.h"
#include "edi/delimiters.h"
#include "edi/segment_reader.h"
#include "edi/validator.h"
#include "tests/support/x12_text.h"

namespace {

using edi::Delimiters;
using edi::InterchangeHeader;
using edi::SegmentWriter;

const std::string kEll = "\xE2\x80\xA6";

Delimiters Delims(char element, char component, std::string terminator, char repetition = 0) {
  Delimiters d;
  d.element = element;
  d.component = component;
  d.terminator = std::move(terminator);
  d.repetition = repetition;
  return d;
}

InterchangeHeader Header(std::string version = "00401", uint64_t control = 4711) {
  InterchangeHeader h;
  h.sender_qualifier = "ZZ";
  h.sender_id = "RENO3PL";
  h.receiver_qualifier = "ZZ";
  h.receiver_id = "OMSGATEWAY";
  h.date = "261120";
  h.time = "1432";
  h.version = std::move(version);
  h.control = control;
  return h;
}

std::vector<std::string> SplitOn(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// SegmentWriter

TEST(SegmentWriter, OmitsTrailingEmptyElements) {
  SegmentWriter w(Delims('*', ':', "~"));
  w.Write("N9", {"PC", "123", "", ""});
  w.Write("W12", {"CC", "10", "", "EA", "", ""});
  w.Write("LX", {"", ""});
  w.Write("REF", std::vector<std::string>{"ZZ", "", "X", "", ""});
  w.Write("DTM", std::vector<std::string>{"", "", ""});
  ASSERT_TRUE(w.status().ok());
  EXPECT_EQ(w.bytes(), "N9*PC*123~W12*CC*10**EA~LX~REF*ZZ**X~DTM~");
  EXPECT_EQ(w.segment_count(), 5u);
}

TEST(SegmentWriter, AppendsTheSuffixAfterEveryTerminator) {
  SegmentWriter w(Delims('|', '>', kEll), "\r\n");
  w.Write("N1", {"ST", "ACME"});
  w.WriteRaw("LX|1");
  EXPECT_EQ(w.bytes(), "N1|ST|ACME" + kEll + "\r\nLX|1" + kEll + "\r\n");
}

TEST(SegmentWriter, ComponentsAreJoinedAndTrailingEmptyComponentsOmitted) {
  SegmentWriter w(Delims('*', '>', "~"));
  EXPECT_EQ(w.Join({"GM", "", "123", "", ""}), "GM>>123");
  w.Write("MAN", {w.Join({"GM", "00012345"}), "X"});
  ASSERT_TRUE(w.status().ok());
  EXPECT_EQ(w.bytes(), "MAN*GM>00012345*X~");
}

TEST(SegmentWriter, ElementSeparatorInsideDataIsAnError) {
  SegmentWriter w(Delims('*', ':', "~"));
  w.Write("N9", {"PC", "12*3"});
  ASSERT_FALSE(w.status().ok());
  EXPECT_NE(w.status().error().message.find("N902"), std::string::npos) << w.status().error().message;
  EXPECT_NE(w.status().error().message.find("12*3"), std::string::npos);
  // The first error sticks.
  w.Write("N3", {"A~B"});
  EXPECT_NE(w.status().error().message.find("N902"), std::string::npos);
}

TEST(SegmentWriter, TerminatorInsideDataIsAnError) {
  SegmentWriter w(Delims('*', ':', "~"));
  w.Write("W12", std::vector<std::string>{"CC", "1", "1", "", "EA", "", "SK", "SKU~1"});
  ASSERT_FALSE(w.status().ok());
  EXPECT_NE(w.status().error().message.find("W1208"), std::string::npos) << w.status().error().message;
}

TEST(SegmentWriter, RepetitionSeparatorInsideDataIsAnError) {
  SegmentWriter w(Delims('*', ':', "~", '^'));
  w.Write("N1", {"ST", "A^B"});
  ASSERT_FALSE(w.status().ok());
  EXPECT_NE(w.status().error().message.find("N102"), std::string::npos);
}

TEST(SegmentWriter, SingleByte0x85TerminatorInsideDataIsAnError) {
  SegmentWriter w(Delims('*', ':', "\x85"));
  w.Write("N3", {"MAIN\x85STREET"});
  EXPECT_FALSE(w.status().ok());
}

TEST(SegmentWriter, MultiByteTerminatorInsideDataIsAnError) {
  // "…" as the terminator: data holding "…" would end the segment early when read back.
  for (const std::string& term : {kEll, std::string("\xC3\x96")}) {
    SegmentWriter w(Delims('*', ':', term));
    w.Write("N3", {"MAIN" + term + "STREET"});
    ASSERT_FALSE(w.status().ok());
    EXPECT_NE(w.status().error().message.find("N301"), std::string::npos);
  }
  // Other non-ASCII data is fine.
  SegmentWriter ok(Delims('*', ':', kEll));
  ok.Write("N3", {"M\xC3\x96NCHEN \xE2\x80\x93 1"});
  EXPECT_TRUE(ok.status().ok());
}

TEST(SegmentWriter, CopyReDelimitsElementsAndComponents) {
  const std::string in = "MAN|GM>001>002|X" + kEll;
  edi::Segment seg;
  const Delimiters from = Delims('|', '>', kEll);
  seg.Assign(std::string_view(in).substr(0, in.size() - kEll.size()), 0, &from);
  SegmentWriter w(Delims('*', ':', "~"), "\n");
  w.Copy(seg);
  ASSERT_TRUE(w.status().ok());
  EXPECT_EQ(w.bytes(), "MAN*GM:001:002*X~\n");
}

TEST(SegmentWriter, CopyRejectsDataHoldingTheNewDelimiters) {
  const std::string in = "N1|ST|A*B";
  edi::Segment seg;
  const Delimiters from = Delims('|', '>', "~");
  seg.Assign(in, 0, &from);
  SegmentWriter w(Delims('*', ':', "~"));
  w.Copy(seg);
  EXPECT_FALSE(w.status().ok());
}

// ---------------------------------------------------------------------------------------------
// FormatIsa

TEST(FormatIsa, ExactlyOneHundredFiveBytesWithFixedWidths) {
  InterchangeHeader h = Header("00401", 42);
  h.authorization = "AUTH";
  h.ack_requested = true;
  h.usage = 'T';
  edi::Result<std::string> isa = edi::FormatIsa(h, Delims('*', '>', "~"));
  ASSERT_TRUE(isa.ok()) << isa.error().Describe();
  ASSERT_EQ(isa->size(), 105u);
  EXPECT_EQ(*isa,
            "ISA*00*AUTH      *00*          *ZZ*RENO3PL        *ZZ*OMSGATEWAY     *261120*1432*U*"
            "00401*000000042*1*T*>");
  for (size_t off : {3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103}) {
    EXPECT_EQ((*isa)[off], '*') << off;
  }
  // And the reader takes it for a padded ISA with the same delimiters.
  edi::Result<edi::IsaLayout> l = edi::DetectIsa(*isa + "~\nGS*SW*A*B*20261120*1432*1*X*004010~\n");
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(l->padded);
  EXPECT_EQ(l->delimiters.component, '>');
}

TEST(FormatIsa, RepetitionSeparatorOnlyFrom00402) {
  edi::Result<std::string> v5 = edi::FormatIsa(Header("00501"), Delims('*', ':', "~", '^'));
  ASSERT_TRUE(v5.ok());
  EXPECT_EQ(v5->size(), 105u);
  EXPECT_EQ((*v5)[82], '^');
  edi::Result<std::string> v4 = edi::FormatIsa(Header("00401"), Delims('*', ':', "~", '^'));
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ((*v4)[82], 'U');
  edi::Result<edi::IsaLayout> l = edi::DetectIsa(*v5 + "~\n");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->delimiters.repetition, '^');
}

TEST(FormatIsa, RejectsOverLongIds) {
  InterchangeHeader h = Header();
  h.sender_id = "1234567890123456";  // 16
  EXPECT_FALSE(edi::FormatIsa(h, Delims('*', ':', "~")).ok());
  h = Header();
  h.receiver_id = "ABCDEFGHIJKLMNOP";
  EXPECT_FALSE(edi::FormatIsa(h, Delims('*', ':', "~")).ok());
  h = Header();
  h.sender_id = "123456789012345";  // 15 is fine
  EXPECT_TRUE(edi::FormatIsa(h, Delims('*', ':', "~")).ok());
}

TEST(FormatIsa, RejectsOverLongAuthorizationAndSecurity) {
  // Truncating ISA02/ISA04 would silently send something else than asked.
  InterchangeHeader h = Header();
  h.authorization = "12345678901";
  EXPECT_FALSE(edi::FormatIsa(h, Delims('*', ':', "~")).ok());
  h = Header();
  h.security = "PASSWORD123";
  EXPECT_FALSE(edi::FormatIsa(h, Delims('*', ':', "~")).ok());
  h = Header();
  h.authorization_qualifier = "003";
  EXPECT_FALSE(edi::FormatIsa(h, Delims('*', ':', "~")).ok());
}

TEST(FormatIsa, RejectsBadFixedFields) {
  const Delimiters d = Delims('*', ':', "~");
  InterchangeHeader h = Header();
  h.date = "20261120";
  EXPECT_FALSE(edi::FormatIsa(h, d).ok());
  h = Header();
  h.time = "143";
  EXPECT_FALSE(edi::FormatIsa(h, d).ok());
  h = Header();
  h.control = 1000000000ULL;
  EXPECT_FALSE(edi::FormatIsa(h, d).ok());
  h = Header();
  h.sender_qualifier = "Z";
  EXPECT_FALSE(edi::FormatIsa(h, d).ok());
  EXPECT_FALSE(edi::FormatIsa(Header(), Delims('*', 0, "~")).ok());
}

TEST(FormatIsa, RejectsDelimitersInsideIsaFields) {
  InterchangeHeader h = Header();
  h.sender_id = "RENO*3PL";
  EXPECT_FALSE(edi::FormatIsa(h, Delims('*', ':', "~")).ok());
  h = Header();
  h.receiver_id = "OMS~GW";
  EXPECT_FALSE(edi::FormatIsa(h, Delims('*', ':', "~")).ok());
}

// ---------------------------------------------------------------------------------------------
// InterchangeWriter

// The body segments (between ST and SE) of a canonical set, as element lists.
std::vector<std::vector<std::string>> BodyOf(const std::string& canonical_set) {
  std::vector<std::vector<std::string>> out;
  for (const std::string& line : SplitOn(canonical_set, '\n')) {
    if (line.empty()) continue;
    std::vector<std::string> el = SplitOn(line.substr(0, line.size() - 1), '*');  // drop '~'
    if (el[0] == "ST" || el[0] == "SE") continue;
    out.push_back(el);
  }
  return out;
}

void WriteBody(edi::InterchangeWriter& w, const std::vector<std::vector<std::string>>& body) {
  for (const std::vector<std::string>& seg : body) {
    w.body().Write(seg[0], std::vector<std::string>(seg.begin() + 1, seg.end()));
  }
}

struct ReadSeg {
  std::string tag;
  std::vector<std::string> el;
};

std::vector<ReadSeg> ReadBack(std::string_view text, size_t* errors) {
  std::vector<ReadSeg> out;
  edi::MemorySource src(text);
  edi::SegmentReader r(src);
  *errors = 0;
  for (;;) {
    edi::ReadStatus st = r.Next();
    if (st == edi::ReadStatus::kEnd) break;
    if (st == edi::ReadStatus::kError) {
      ++*errors;
      continue;
    }
    ReadSeg s;
    s.tag = std::string(r.segment().tag());
    for (size_t i = 1; i <= r.segment().size(); ++i) s.el.emplace_back(r.segment().element(i));
    out.push_back(std::move(s));
  }
  return out;
}

TEST(InterchangeWriter, ComputesCountsAndControlNumbersAndValidates) {
  InterchangeHeader h = Header("00401", 4711);
  edi::InterchangeWriter w(h, Delims('*', '>', "~"), "\r\n");
  edi::GroupHeader g;
  g.functional_id = "SW";
  g.sender = "RENO3PL";
  g.receiver = "OMSGATEWAY";
  g.date = "20261120";
  g.time = "1432";
  g.control = 77;
  w.BeginGroup(g);
  w.BeginSet("945", "0001");
  WriteBody(w, BodyOf(x12test::Set945("X", "ORD1", "SHP1", 2)));
  w.BeginSet("945", "0002");  // ends the previous set
  WriteBody(w, BodyOf(x12test::Set945("X", "ORD2", "SHP2", 3)));
  g.control = 78;
  w.BeginGroup(g);  // ends the previous group
  w.BeginSet("945", "0003");
  WriteBody(w, BodyOf(x12test::Set945("X", "ORD3", "SHP3", 1)));
  edi::Result<std::string> out = w.Finish();
  ASSERT_TRUE(out.ok()) << out.error().Describe();

  size_t errors = 0;
  const std::vector<ReadSeg> segs = ReadBack(*out, &errors);
  EXPECT_EQ(errors, 0u);
  std::vector<std::vector<std::string>> trailers;
  size_t in_set = 0;
  for (const ReadSeg& s : segs) {
    if (s.tag == "ST") in_set = 0;
    ++in_set;
    if (s.tag == "SE") {
      EXPECT_EQ(s.el.at(0), std::to_string(in_set));
    }
    if (s.tag == "SE" || s.tag == "GE" || s.tag == "IEA") trailers.push_back(s.el);
  }
  const std::vector<std::vector<std::string>> expected = {
      {std::to_string(BodyOf(x12test::Set945("X", "A", "B", 2)).size() + 2), "0001"},
      {std::to_string(BodyOf(x12test::Set945("X", "A", "B", 3)).size() + 2), "0002"},
      {"2", "77"},
      {std::to_string(BodyOf(x12test::Set945("X", "A", "B", 1)).size() + 2), "0003"},
      {"1", "78"},
      {"2", "000004711"},
  };
  EXPECT_EQ(trailers, expected);

  const x12test::Collected c = x12test::ValidateText(*out);
  EXPECT_TRUE(c.summary.ok);
  EXPECT_EQ(c.summary.interchanges, 1u);
  EXPECT_EQ(c.summary.groups, 2u);
  EXPECT_EQ(c.summary.sets, 3u);
  for (const edi::SetResult& s : c.sets) {
    EXPECT_EQ(s.status, 'A');
    for (const edi::Error& e : s.errors) ADD_FAILURE() << e.Describe();
  }
  for (const edi::InterchangeResult& i : c.interchanges) EXPECT_EQ(i.ta1_code, "000");
}

TEST(InterchangeWriter, InterchangeWithOnlyTa1HasZeroGroups) {
  edi::InterchangeWriter w(Header(), Delims('*', ':', "~"));
  w.Ta1("000000123", "261120", "1432", 'A', "000");
  edi::Result<std::string> out = w.Finish();
  ASSERT_TRUE(out.ok());
  size_t errors = 0;
  const std::vector<ReadSeg> segs = ReadBack(*out, &errors);
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[1].tag, "TA1");
  EXPECT_EQ(segs[2].tag, "IEA");
  EXPECT_EQ(segs[2].el, (std::vector<std::string>{"0", "000004711"}));
}

TEST(InterchangeWriter, BodyErrorFailsFinish) {
  edi::InterchangeWriter w(Header(), Delims('*', ':', "~"));
  edi::GroupHeader g;
  g.functional_id = "SW";
  g.sender = "A1";
  g.receiver = "B1";
  g.date = "20261120";
  g.time = "1432";
  w.BeginGroup(g);
  w.BeginSet("945", "0001");
  w.body().Write("N3", {"12 MAIN*STREET"});
  edi::Result<std::string> out = w.Finish();
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("N301"), std::string::npos);
}

TEST(InterchangeWriter, BadHeaderFailsFinish) {
  InterchangeHeader h = Header();
  h.sender_id = "MUCH TOO LONG SENDER";
  edi::InterchangeWriter w(h, Delims('*', ':', "~"));
  EXPECT_FALSE(w.Finish().ok());
}

// ---------------------------------------------------------------------------------------------
// ROUND-TRIP PROPERTY

// Characters never used as delimiters below, so data built from them is always writable.
constexpr std::string_view kSafe =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .-/,()&?=#$%@";
constexpr std::string_view kSeparatorPool = "*|~^>!+`\\{}[]<;_:\"";
const std::vector<std::string> kTerminators = {"~", "\n", "\r", "\x85", kEll, "\xC3\x96", "\x1D", "}",
                                               "'", "!", "|"};
const std::vector<std::string> kSuffixes = {"", "\n", "\r\n"};
const std::vector<std::string> kTags = {"N1", "N3", "N4", "W12", "LX", "MAN", "REF", "G62", "W27",
                                        "N9", "W03", "PRF", "TD5", "DTM", "QTY", "LIN", "SN1", "W06"};

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Below(100) < static_cast<size_t>(percent); }
  std::string Word(size_t min_len, size_t max_len) {
    std::string s;
    const size_t n = min_len + Below(max_len - min_len + 1);
    for (size_t i = 0; i < n; ++i) s.push_back(kSafe[Below(kSafe.size())]);
    return s;
  }
  // Element, component and terminator (and a repetition separator when `repetition`),
  // pairwise distinct.
  edi::Delimiters RandomDelimiters(bool repetition) {
    edi::Delimiters d;
    for (;;) {
      d.terminator = kTerminators[Below(kTerminators.size())];
      d.element = kSeparatorPool[Below(kSeparatorPool.size())];
      d.component = kSeparatorPool[Below(kSeparatorPool.size())];
      d.repetition = repetition ? kSeparatorPool[Below(kSeparatorPool.size())] : 0;
      const char t = d.terminator.size() == 1 ? d.terminator[0] : 0;
      if (d.element == d.component || d.element == t || d.component == t) continue;
      if (repetition && (d.repetition == d.element || d.repetition == d.component || d.repetition == t)) {
        continue;
      }
      return d;
    }
  }

 private:
  std::mt19937 rng_;
};

struct Expected {
  std::string tag;
  std::vector<std::string> el;
};

// One random interchange: written with InterchangeWriter, and what the reader must return.
std::string RandomInterchange(Gen& g, uint64_t control, std::vector<Expected>* expected,
                              std::string* description) {
  const bool v5 = g.Chance(40);
  const Delimiters d = g.RandomDelimiters(v5);
  const std::string suffix = kSuffixes[g.Below(kSuffixes.size())];
  InterchangeHeader h = Header(v5 ? "00501" : "00401", control);
  h.sender_id = g.Word(1, 15);
  while (h.sender_id.back() == ' ') h.sender_id.back() = 'S';
  edi::InterchangeWriter w(h, d, suffix);
  *description += "elem='" + std::string(1, d.element) + "' comp='" + std::string(1, d.component) +
                  "' rep=" + std::to_string(static_cast<int>(d.repetition)) + " term.size=" +
                  std::to_string(d.terminator.size()) + " term0=" +
                  std::to_string(static_cast<unsigned char>(d.terminator[0])) + " suffix.size=" +
                  std::to_string(suffix.size()) + "; ";

  edi::Result<std::string> isa = edi::FormatIsa(h, d);
  EXPECT_TRUE(isa.ok());
  std::vector<std::string> isa_el = SplitOn(*isa, d.element);
  expected->push_back({"ISA", std::vector<std::string>(isa_el.begin() + 1, isa_el.end())});

  const size_t groups = 1 + g.Below(3);
  for (size_t gi = 0; gi < groups; ++gi) {
    edi::GroupHeader gh;
    gh.functional_id = "SW";
    gh.sender = "SND" + g.Word(1, 5);
    gh.receiver = "RCV";
    gh.date = "20261120";
    gh.time = "1432";
    gh.control = 100 + gi;
    gh.version = v5 ? "005010" : "004010";
    w.BeginGroup(gh);
    expected->push_back({"GS", {gh.functional_id, gh.sender, gh.receiver, gh.date, gh.time,
                                std::to_string(gh.control), "X", gh.version}});
    const size_t sets = 1 + g.Below(3);
    for (size_t si = 0; si < sets; ++si) {
      const std::string st02 = std::to_string(1000 + si);
      w.BeginSet("945", st02);
      expected->push_back({"ST", {"945", st02}});
      const size_t body = g.Below(9);
      for (size_t b = 0; b < body; ++b) {
        std::vector<std::string> el(g.Below(10));
        for (std::string& e : el) {
          const size_t kind = g.Below(10);
          if (kind < 2) continue;  // empty
          if (kind < 4) {
            std::vector<std::string> comps(2 + g.Below(2));
            for (std::string& c : comps) c = g.Chance(20) ? "" : g.Word(1, 6);
            comps.back() = g.Word(1, 4);
            for (size_t k = 0; k < comps.size(); ++k) {
              if (k > 0) e.push_back(d.component);
              e += comps[k];
            }
          } else {
            e = g.Word(1, 15);
          }
        }
        const std::string tag = kTags[g.Below(kTags.size())];
        w.body().Write(tag, el);
        while (!el.empty() && el.back().empty()) el.pop_back();
        expected->push_back({tag, el});
      }
      w.EndSet();
      expected->push_back({"SE", {std::to_string(body + 2), st02}});
    }
    w.EndGroup();
    expected->push_back({"GE", {std::to_string(sets), std::to_string(gh.control)}});
  }
  char ctl[16];
  std::snprintf(ctl, sizeof ctl, "%09llu", static_cast<unsigned long long>(control));
  expected->push_back({"IEA", {std::to_string(groups), ctl}});
  edi::Result<std::string> out = w.Finish();
  if (!out.ok()) {
    ADD_FAILURE() << out.error().Describe();
    return {};
  }
  return *out;
}

struct Read {
  std::string tag;
  std::vector<std::string> el;
  edi::Delimiters d;
};

std::vector<Read> ReadAllSegments(std::string_view text, size_t* errors) {
  std::vector<Read> out;
  edi::MemorySource src(text);
  edi::SegmentReader r(src);
  *errors = 0;
  for (;;) {
    edi::ReadStatus st = r.Next();
    if (st == edi::ReadStatus::kEnd) break;
    if (st == edi::ReadStatus::kError) {
      ++*errors;
      ADD_FAILURE() << r.error().Describe();
      if (*errors > 5) break;
      continue;
    }
    Read s;
    s.tag = std::string(r.segment().tag());
    for (size_t i = 1; i <= r.segment().size(); ++i) s.el.emplace_back(r.segment().element(i));
    s.d = r.segment().delimiters();
    out.push_back(std::move(s));
  }
  return out;
}

// An element split on its interchange's component separator: comparable across delimiters.
std::vector<std::string> Components(const std::string& e, char comp) {
  return comp == 0 ? std::vector<std::string>{e} : SplitOn(e, comp);
}

TEST(WriterProperty, RandomInterchangesRoundTrip) {
  Gen g(20261120);
  for (int iter = 0; iter < 300; ++iter) {
    std::vector<Expected> expected;
    std::string description;
    std::string text;
    const size_t interchanges = 1 + g.Below(2);
    for (size_t k = 0; k < interchanges; ++k) {
      text += RandomInterchange(g, 1 + g.Below(999999999), &expected, &description);
    }
    SCOPED_TRACE("iteration " + std::to_string(iter) + ": " + description);

    // 1. Read back what was written: every segment, element for element.
    size_t errors = 0;
    const std::vector<Read> got = ReadAllSegments(text, &errors);
    ASSERT_EQ(errors, 0u);
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].tag, expected[i].tag) << "segment " << i;
      ASSERT_EQ(got[i].el, expected[i].el) << "segment " << i << " " << got[i].tag;
    }

    // 2. Re-write what was read with other delimiters (Copy), read again: the same.
    std::string text2;
    std::string description2;
    {
      SegmentWriter* w = nullptr;
      std::vector<SegmentWriter> writers;
      writers.reserve(interchanges);
      for (const Read& r : got) {
        if (r.tag == "ISA") {
          const bool v5 = r.el.at(11) >= "00402";
          const Delimiters d2 = g.RandomDelimiters(v5);
          writers.emplace_back(d2, kSuffixes[g.Below(kSuffixes.size())]);
          w = &writers.back();
          std::vector<std::string> isa = r.el;
          isa[10] = v5 ? std::string(1, d2.repetition) : "U";
          isa[15] = std::string(1, d2.component);
          // Raw: ISA11 and ISA16 are delimiters, which Write() rightly refuses as data.
          std::string raw = "ISA";
          for (const std::string& e : isa) raw += d2.element + e;
          w->WriteRaw(raw);
          description2 += "elem='" + std::string(1, d2.element) + "' term.size=" +
                          std::to_string(d2.terminator.size()) + "; ";
          continue;
        }
        edi::Segment seg;
        std::string raw = r.tag;
        for (const std::string& e : r.el) raw += r.d.element + e;
        seg.Assign(raw, 0, &r.d);
        w->Copy(seg);
      }
      for (SegmentWriter& sw : writers) {
        ASSERT_TRUE(sw.status().ok()) << sw.status().error().Describe();
        text2 += sw.bytes();
      }
    }
    SCOPED_TRACE("rewritten: " + description2);
    const std::vector<Read> again = ReadAllSegments(text2, &errors);
    ASSERT_EQ(errors, 0u);
    ASSERT_EQ(again.size(), got.size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(again[i].tag, got[i].tag) << "segment " << i;
      ASSERT_EQ(again[i].el.size(), got[i].el.size()) << "segment " << i;
      for (size_t e = 0; e < got[i].el.size(); ++e) {
        if (got[i].tag == "ISA" && (e == 10 || e == 15)) continue;  // ISA11/ISA16 are delimiters
        EXPECT_EQ(Components(again[i].el[e], again[i].d.component),
                  Components(got[i].el[e], got[i].d.component))
            << "segment " << i << " " << got[i].tag << " element " << e + 1;
      }
    }
  }
}

}  // namespace
