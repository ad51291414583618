// SegmentReader over MemorySource: the lexical quirks of x12-notes.md 1.5 and 10, and the
// property that streaming does not depend on where the chunk boundaries fall.
#include "edi/segment_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "edi/byte_source.h"
#include "tests/support/x12_text.h"

namespace {

using edi::ReaderOptions;
using edi::ReadStatus;
using x12test::Redelimit;

const std::string kEll = "\xE2\x80\xA6";

// One result of SegmentReader::Next().
struct Item {
  ReadStatus status = ReadStatus::kEnd;
  std::string raw;    // segment: raw text; error: the message
  std::string canon;  // segment re-joined with '*' and ':' (compare across delimiters)
  uint64_t offset = 0;
  std::string ta1_code;
  bool starts_interchange = false;
  bool unterminated = false;
  std::string terminator;  // of the interchange the segment belongs to

  bool operator==(const Item& o) const {
    return status == o.status && raw == o.raw && offset == o.offset && ta1_code == o.ta1_code &&
           starts_interchange == o.starts_interchange && unterminated == o.unterminated &&
           terminator == o.terminator;
  }
};

std::ostream& operator<<(std::ostream& os, const Item& i) {
  const char* s = i.status == ReadStatus::kSegment ? "segment" : i.status == ReadStatus::kError ? "error" : "end";
  return os << s << "@" << i.offset << " '" << i.raw << "'" << (i.unterminated ? " (unterminated)" : "")
            << (i.ta1_code.empty() ? "" : " ta1=" + i.ta1_code);
}

struct ReadLog {
  std::vector<Item> items;  // every Next() result up to and including kEnd
  std::vector<edi::Notice> notices;
  std::vector<edi::Delimiters> interchanges;  // delimiters of each ISA read
  std::vector<edi::IsaLayout> layouts;
  bool saw_isa = false;

  std::vector<std::string> Raw() const {
    std::vector<std::string> out;
    for (const Item& i : items) {
      if (i.status == ReadStatus::kSegment) out.push_back(i.raw);
    }
    return out;
  }
  std::vector<std::string> Canon() const {
    std::vector<std::string> out;
    for (const Item& i : items) {
      if (i.status == ReadStatus::kSegment) out.push_back(i.canon);
    }
    return out;
  }
  size_t Errors() const {
    return static_cast<size_t>(std::count_if(items.begin(), items.end(), [](const Item& i) {
      return i.status == ReadStatus::kError;
    }));
  }
  bool HasNotice(std::string_view word) const {
    for (const edi::Notice& n : notices) {
      if (n.message.find(word) != std::string::npos) return true;
    }
    return false;
  }
};

std::string Canonical(const edi::Segment& s) {
  std::string out(s.tag());
  const char comp = s.delimiters().component;
  for (size_t i = 1; i <= s.size(); ++i) {
    out.push_back('*');
    for (char c : s.element(i)) out.push_back(comp != 0 && c == comp ? ':' : c);
  }
  return out;
}

ReadLog ReadAll(std::string_view text, ReaderOptions options = {}) {
  ReadLog log;
  edi::MemorySource src(text);
  edi::SegmentReader reader(src, options);
  for (int guard = 0; guard < 1000000; ++guard) {
    Item item;
    item.status = reader.Next();
    if (item.status == ReadStatus::kSegment) {
      item.raw = std::string(reader.segment().raw());
      item.canon = Canonical(reader.segment());
      item.offset = reader.segment().offset();
      item.starts_interchange = reader.starts_interchange();
      item.unterminated = reader.unterminated();
      item.terminator = reader.segment().delimiters().terminator;
      if (item.starts_interchange) {
        log.interchanges.push_back(reader.layout().delimiters);
        log.layouts.push_back(reader.layout());
      }
    } else if (item.status == ReadStatus::kError) {
      item.raw = reader.error().message;
      item.offset = reader.error().offset;
      item.ta1_code = reader.error().ta1_code;
    }
    for (edi::Notice& n : reader.TakeNotices()) log.notices.push_back(std::move(n));
    log.items.push_back(item);
    if (item.status == ReadStatus::kEnd) break;
  }
  log.saw_isa = reader.saw_isa();
  return log;
}

// Segments of canonical text ("...~\n" per segment), without terminators.
std::vector<std::string> Split(std::string_view canonical) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < canonical.size(); ++i) {
    if (canonical[i] != '~') continue;
    std::string seg(canonical.substr(start, i - start));
    seg.erase(0, seg.find_first_not_of("\r\n"));
    out.push_back(seg);
    start = i + 1;
  }
  return out;
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

std::string Wrap(std::string_view flat, size_t width, std::string_view eol) {
  std::string out;
  for (size_t i = 0; i < flat.size(); i += width) {
    out.append(flat.substr(i, width));
    if (i + width < flat.size()) out.append(eol);
  }
  return out;
}

x12test::IsaFields IsaControl(std::string control) {
  x12test::IsaFields f;
  f.control = std::move(control);
  return f;
}

// A valid one-set 945 interchange in canonical form.
std::string Canon945(std::string control = "000004001") {
  return x12test::Interchange({x12test::Set945("0001", "ORD1", "SHP1")}, "SW", IsaControl(control));
}

void ExpectOffsetsPointAtSegments(std::string_view text, const ReadLog& log) {
  for (const Item& i : log.items) {
    if (i.status != ReadStatus::kSegment) continue;
    ASSERT_LE(i.offset + i.raw.size(), text.size()) << i;
    EXPECT_EQ(text.substr(i.offset, i.raw.size()), i.raw) << i;
  }
}

void ExpectCleanEnd(const ReadLog& log) {
  EXPECT_EQ(log.Errors(), 0u);
  for (const Item& i : log.items) {
    if (i.status == ReadStatus::kError) ADD_FAILURE() << i;
  }
  ASSERT_FALSE(log.items.empty());
  EXPECT_EQ(log.items.back().status, ReadStatus::kEnd);
}

// Same segments, reporting the first difference readably.
void ExpectSameSegments(const std::vector<std::string>& got, const std::vector<std::string>& want) {
  EXPECT_EQ(got.size(), want.size());
  for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
    if (got[i] != want[i]) {
      ADD_FAILURE() << "segment " << i << ": got '" << got[i] << "' want '" << want[i] << "'";
      return;
    }
  }
}

TEST(SegmentReader, CanonicalInterchange) {
  const std::string text = Canon945();
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  EXPECT_EQ(log.Raw(), Split(text));
  ASSERT_FALSE(log.items.empty());
  EXPECT_TRUE(log.items[0].starts_interchange);
  EXPECT_FALSE(log.items[1].starts_interchange);
  EXPECT_TRUE(log.saw_isa);
  ExpectOffsetsPointAtSegments(text, log);
}

TEST(SegmentReader, BomAndLeadingBlankLines) {
  const std::string prefix = "\xEF\xBB\xBF\r\n\n   \t\n";
  const std::string text = prefix + Canon945();
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  EXPECT_EQ(log.Raw(), Split(Canon945()));
  ASSERT_FALSE(log.items.empty());
  EXPECT_EQ(log.items[0].offset, prefix.size());
  EXPECT_TRUE(log.HasNotice("byte order mark"));
  ExpectOffsetsPointAtSegments(text, log);
}

TEST(SegmentReader, CrlfAfterEveryTerminator) {
  const std::string text = Redelimit(Canon945(), '*', ':', "~", "\r\n");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  EXPECT_EQ(log.Raw(), Split(Canon945()));
  ExpectOffsetsPointAtSegments(text, log);
}

TEST(SegmentReader, LineFeedAsSegmentTerminator) {
  const std::string text = Redelimit(Canon945(), '*', ':', "\n");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  ASSERT_EQ(log.interchanges.size(), 1u);
  EXPECT_EQ(log.interchanges[0].terminator, "\n");
  EXPECT_EQ(log.Raw(), Split(Canon945()));
  ExpectOffsetsPointAtSegments(text, log);
}

TEST(SegmentReader, LineFeedTerminatorWithCrlfLineEnds) {
  // The ISA line ends in LF (the terminator); the other lines end in CRLF.
  const std::string canon = Canon945();
  const size_t isa_end = canon.find('~');
  const std::string text = canon.substr(0, isa_end) + "\n" +
                           Redelimit(std::string_view(canon).substr(isa_end + 2), '*', ':', "\r\n");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  ASSERT_EQ(log.interchanges.size(), 1u);
  EXPECT_EQ(log.interchanges[0].terminator, "\n");
  EXPECT_EQ(log.Raw(), Split(canon));
}

TEST(SegmentReader, CrlfLineEndsEverywhereWithLineTerminator) {
  const std::string text = Redelimit(Canon945(), '*', ':', "\r\n");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  ASSERT_EQ(log.interchanges.size(), 1u);
  EXPECT_TRUE(log.interchanges[0].terminator_is_line_break());
  EXPECT_EQ(log.Raw(), Split(Canon945()));
}

TEST(SegmentReader, CrTerminatorFollowedByLfAndIndentation) {
  const std::string text = "\xEF\xBB\xBF" + Redelimit(Canon945(), '*', ':', "\r", "\n    ");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  ASSERT_EQ(log.interchanges.size(), 1u);
  EXPECT_EQ(log.interchanges[0].terminator, "\r");
  EXPECT_EQ(log.Raw(), Split(Canon945()));
  ExpectOffsetsPointAtSegments(text, log);
}

TEST(SegmentReader, Byte0x85TerminatorEndToEnd) {
  const std::string text = Redelimit(Canon945(), '*', ':', "\x85");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  EXPECT_EQ(log.Raw(), Split(Canon945()));
  ExpectOffsetsPointAtSegments(text, log);
}

TEST(SegmentReader, EllipsisTerminatorEndToEnd) {
  for (const char* suffix : {"", "\r\n"}) {
    SCOPED_TRACE(std::string("suffix size ") + std::to_string(std::string(suffix).size()));
    const std::string text = Redelimit(Canon945(), '*', ':', kEll, suffix);
    const ReadLog log = ReadAll(text);
    ExpectCleanEnd(log);
    ASSERT_EQ(log.interchanges.size(), 1u);
    EXPECT_EQ(log.interchanges[0].terminator, kEll);
    EXPECT_EQ(log.Raw(), Split(Canon945()));
    ExpectOffsetsPointAtSegments(text, log);
  }
}

TEST(SegmentReader, EllipsisTerminatorWithNonAsciiData) {
  // Data holding the first bytes of the terminator sequence (E2 80 ..) is not a terminator.
  std::string canon = Replace(Canon945(), "N3*12 MAIN STREET", "N3*12 MAIN \xE2\x80\x93 STREET \xE2\x82\xAC");
  const ReadLog log = ReadAll(Redelimit(canon, '*', ':', kEll, "\n"));
  ExpectCleanEnd(log);
  EXPECT_EQ(log.Raw(), Split(canon));
}

TEST(SegmentReader, OUmlautAnd0x1DTerminators) {
  for (const std::string& term : {std::string("\xC3\x96"), std::string("\x1D")}) {
    const std::string text = Redelimit(Canon945(), '*', ':', term, "\n");
    const ReadLog log = ReadAll(text);
    ExpectCleanEnd(log);
    ASSERT_EQ(log.interchanges.size(), 1u);
    EXPECT_EQ(log.interchanges[0].terminator, term);
    EXPECT_EQ(log.Raw(), Split(Canon945()));
  }
}

TEST(SegmentReader, SeveralInterchangesWithDifferentDelimiters) {
  const std::string a = Canon945("000000001");
  const std::string b = Canon945("000000002");
  const std::string c = Canon945("000000003");
  const std::string d = Canon945("000000004");
  const std::string text = a + Redelimit(b, '|', '>', kEll, "\r\n") + "\n\n" +
                           Redelimit(c, '~', '^', "}") + Redelimit(d, '>', '+', "\r", "\n");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  ASSERT_EQ(log.interchanges.size(), 4u);
  EXPECT_EQ(log.interchanges[0].element, '*');
  EXPECT_EQ(log.interchanges[1].element, '|');
  EXPECT_EQ(log.interchanges[1].component, '>');
  EXPECT_EQ(log.interchanges[1].terminator, kEll);
  EXPECT_EQ(log.interchanges[2].element, '~');
  EXPECT_EQ(log.interchanges[2].component, '^');
  EXPECT_EQ(log.interchanges[2].terminator, "}");
  EXPECT_EQ(log.interchanges[3].element, '>');
  EXPECT_EQ(log.interchanges[3].terminator, "\r");
  std::vector<std::string> expected;
  for (const std::string* s : {&a, &b, &c, &d}) {
    for (std::string& seg : Split(*s)) expected.push_back(seg);
  }
  EXPECT_EQ(log.Canon(), expected);
  ExpectOffsetsPointAtSegments(text, log);
}

TEST(SegmentReader, SecondInterchangeWithoutPrecedingIea) {
  // A new ISA inside an interchange starts a new interchange (the validator reports the
  // missing IEA).
  std::string first = Canon945("000000001");
  first.erase(first.find("IEA*"));
  const std::string text = first + Redelimit(Canon945("000000002"), '|', '>', "~", "\n");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  ASSERT_EQ(log.interchanges.size(), 2u);
  EXPECT_EQ(log.interchanges[1].element, '|');
}

TEST(SegmentReader, WhitespaceBlankLinesAndNulsAfterLastIea) {
  const std::string text = Canon945() + "   \r\n\n\t\n" + std::string(700, '\0') + "\n  ";
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  EXPECT_EQ(log.Raw(), Split(Canon945()));
}

TEST(SegmentReader, GarbageAfterLastIeaIsAnError) {
  const std::string canon = Canon945();
  const std::string text = canon + "\r\nTHANK YOU FOR YOUR BUSINESS\r\n";
  const ReadLog log = ReadAll(text);
  EXPECT_EQ(log.Raw(), Split(canon));
  ASSERT_GE(log.items.size(), 2u);
  EXPECT_EQ(log.Errors(), 1u);
  const Item& err = log.items[log.items.size() - 2];
  EXPECT_EQ(err.status, ReadStatus::kError);
  EXPECT_EQ(err.offset, canon.size() + 2);
  EXPECT_FALSE(err.ta1_code.empty());
  EXPECT_EQ(log.items.back().status, ReadStatus::kEnd);
}

TEST(SegmentReader, IsaAndGsInsideElementDataAreData) {
  std::string canon = Canon945();
  canon = Replace(canon, "N1*ST*ACME STORE 12*92*STORE12~\n",
                  "N1*ST*ISA*92*GS~\nN3*GS*ISA~\nN4*ISA GS*NV*89501*ISA~\nREF*ZZ*IEA*GE*SE~\n");
  const std::string text = Redelimit(canon, '*', ':', "~", "\n");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  EXPECT_EQ(log.Raw(), Split(canon));
  EXPECT_EQ(log.interchanges.size(), 1u);
  // Also with a line-feed terminator, where "ISA" starts a line after a separator.
  const ReadLog lf = ReadAll(Redelimit(canon, '*', ':', "\n"));
  ExpectCleanEnd(lf);
  EXPECT_EQ(lf.Raw(), Split(canon));
  EXPECT_EQ(lf.interchanges.size(), 1u);
}

// A canonical interchange flattened (no line breaks) whose "IEA" tag is split by an 80-column
// break after "IE".
std::string FlatWithIeaSplitAt80() {
  for (int pad = 0; pad < 80; ++pad) {
    std::string canon = Replace(Canon945(), "N3*12 MAIN STREET", "N3*12 MAIN STREET " + std::string(pad, 'A'));
    const std::string flat = Redelimit(canon, '*', ':', "~");
    const size_t iea = flat.rfind("IEA*");
    if (iea % 80 == 78) return flat;
  }
  ADD_FAILURE() << "no padding splits the IEA tag";
  return {};
}

TEST(SegmentReader, Wrapped80ColumnFile) {
  const std::string flat = FlatWithIeaSplitAt80();
  for (const char* eol : {"\n", "\r\n"}) {
    SCOPED_TRACE(std::string("eol size ") + std::to_string(std::string(eol).size()));
    const std::string text = Wrap(flat, 80, eol);
    ASSERT_NE(text.find(std::string("IE") + eol + "A*1*"), std::string::npos);
    // The first break falls inside the ISA; some break falls inside element data.
    ASSERT_LT(text.find('\n'), 105u);
    const ReadLog log = ReadAll(text);
    ExpectCleanEnd(log);
    ASSERT_EQ(log.layouts.size(), 1u);
    EXPECT_TRUE(log.layouts[0].wrapped);
    ExpectSameSegments(log.Raw(), Split(flat));
  }
}

TEST(SegmentReader, Wrapped80ColumnFileWithBreakInsideData) {
  // Break inside the ISA and inside ST02, as in the staedi 210 sample.
  std::string canon = Canon945();
  canon = Replace(canon, "ST*945*0001", "ST*945*123456789");
  canon = Replace(canon, "SE*", "SE*");  // keep SE02 mismatched: not the reader's business
  std::string flat;
  for (int pad = 0; pad < 80 && flat.empty(); ++pad) {
    std::string c = Replace(canon, "GS*SW*RENO3PL", "GS*SW*RENO3PL" + std::string(pad, 'B'));
    std::string f = Redelimit(c, '*', ':', "~");
    if (f.find("ST*945*123456789") % 80 == 68) flat = f;  // break after "12345"
  }
  ASSERT_FALSE(flat.empty());
  const std::string text = Wrap(flat, 80, "\r\n");
  ASSERT_NE(text.find("*12345\r\n6789~"), std::string::npos);
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  EXPECT_EQ(log.Raw(), Split(flat));
}

TEST(SegmentReader, LineBreakAfterElementSeparatorIsRemovedWithNotice) {
  // The PDF-copy case: "...*010005***\nPI*001089~".
  std::string canon = Canon945();
  const std::string broken = Replace(canon, "W12*CC*10*10**EA**SK*SKU-1001", "W12*CC*10*10**EA**SK*\nSKU-1001");
  const ReadLog log = ReadAll(broken);
  ExpectCleanEnd(log);
  EXPECT_EQ(log.Raw(), Split(canon));
  EXPECT_TRUE(log.HasNotice("line break"));
  const x12test::Collected c = x12test::ValidateText(broken);
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_NE(c.sets[0].status, 'R');
}

TEST(SegmentReader, LineBreakBeforeElementSeparatorIsRemoved) {
  std::string canon = Canon945();
  const std::string broken = Replace(canon, "N4*RENO*NV", "N4*RENO\r\n*NV");
  const ReadLog log = ReadAll(broken);
  ExpectCleanEnd(log);
  EXPECT_EQ(log.Raw(), Split(canon));
  EXPECT_TRUE(log.HasNotice("line break"));
}

TEST(SegmentReader, RawLineFeedInsideElementDataIsKept) {
  const std::string text = Replace(Canon945(), "N3*12 MAIN STREET", "N3*12 MAIN\nSTREET");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  bool found = false;
  for (const std::string& raw : log.Raw()) found |= raw == "N3*12 MAIN\nSTREET";
  EXPECT_TRUE(found);
  const x12test::Collected c = x12test::ValidateText(text);
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_TRUE(x12test::HasElementCode(c.sets[0], "6"));
  EXPECT_NE(c.sets[0].status, 'A');
}

TEST(SegmentReader, NoIsaAtAll) {
  for (const std::string& text :
       {std::string("Dear customer,\nplease find attached our order.\n"),
        std::string("IZA") + x12test::Isa().substr(3) + "~\nGS*SW*A*B~\n",
        std::string("\xEF\xBB\xBF  GS*SW*RENO3PL*OMSGATEWAY*20261120*1432*41*X*004010~\n")}) {
    SCOPED_TRACE(text.substr(0, 10));
    const ReadLog log = ReadAll(text);
    ASSERT_GE(log.items.size(), 2u);
    EXPECT_EQ(log.items[0].status, ReadStatus::kError);
    EXPECT_FALSE(log.saw_isa);
    EXPECT_TRUE(log.Raw().empty());
    EXPECT_EQ(log.items.back().status, ReadStatus::kEnd);
    const x12test::Collected c = x12test::ValidateText(text);
    EXPECT_TRUE(c.summary.not_x12);
    EXPECT_FALSE(c.summary.ok);
  }
}

TEST(SegmentReader, EmptyInput) {
  const ReadLog log = ReadAll("");
  ASSERT_EQ(log.items.size(), 1u);
  EXPECT_EQ(log.items[0].status, ReadStatus::kEnd);
  EXPECT_FALSE(log.saw_isa);
}

TEST(SegmentReader, SegmentOffsetsPointAtTheTag) {
  const std::string text =
      "\xEF\xBB\xBF\n" + Redelimit(Canon945(), '*', ':', "~", "\r\n  ") + Redelimit(Canon945("000000002"), '|', '>', kEll, "\n");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  for (const Item& i : log.items) {
    if (i.status != ReadStatus::kSegment) continue;
    const std::string tag = i.raw.substr(0, i.raw.find_first_of("*|"));
    EXPECT_EQ(text.substr(i.offset, tag.size()), tag) << i;
  }
  ExpectOffsetsPointAtSegments(text, log);
}

TEST(SegmentReader, UnterminatedLastSegment) {
  std::string text = Canon945();
  ASSERT_EQ(text.substr(text.size() - 2), "~\n");
  text.resize(text.size() - 2);
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  ASSERT_GE(log.items.size(), 2u);
  const Item& last = log.items[log.items.size() - 2];
  EXPECT_EQ(last.raw, "IEA*1*000004001");
  EXPECT_TRUE(last.unterminated);
  for (size_t i = 0; i + 2 < log.items.size(); ++i) EXPECT_FALSE(log.items[i].unterminated) << log.items[i];
}

TEST(SegmentReader, UnterminatedLastSegmentWithMultiByteTerminator) {
  std::string text = Redelimit(Canon945(), '*', ':', kEll);
  text.resize(text.size() - kEll.size());
  text += "\xE2\x80";  // a truncated terminator is data, not a terminator
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  ASSERT_GE(log.items.size(), 2u);
  const Item& last = log.items[log.items.size() - 2];
  EXPECT_TRUE(last.unterminated);
  EXPECT_EQ(last.raw, "IEA*1*000004001\xE2\x80");
}

TEST(SegmentReader, SegmentLongerThanMaxIsAnErrorThenRecovery) {
  const std::string bad =
      Replace(Canon945("000000001"), "N3*12 MAIN STREET", "N3*" + std::string(5000, 'X'));
  const std::string good = Canon945("000000002");
  const std::string text = bad + good;
  for (size_t chunk : {size_t{1}, size_t{64}, size_t{256}, size_t{4096}, size_t{1} << 20}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    ReaderOptions opt;
    opt.chunk_bytes = chunk;
    opt.max_segment_bytes = 1000;
    const ReadLog log = ReadAll(text, opt);
    ASSERT_EQ(log.Errors(), 1u);
    size_t err = 0;
    while (log.items[err].status != ReadStatus::kError) ++err;
    EXPECT_EQ(log.items[err].ta1_code, "024");
    EXPECT_EQ(log.items[err].offset, bad.find("N3*XXX"));
    // Then the good interchange, complete, from its ISA.
    ASSERT_LT(err + 1, log.items.size());
    EXPECT_TRUE(log.items[err + 1].starts_interchange);
    EXPECT_EQ(log.items[err + 1].offset, bad.size());
    std::vector<std::string> after;
    for (size_t i = err + 1; i < log.items.size(); ++i) {
      if (log.items[i].status == ReadStatus::kSegment) after.push_back(log.items[i].raw);
    }
    EXPECT_EQ(after, Split(good));
    EXPECT_EQ(log.items.back().status, ReadStatus::kEnd);
  }
}

TEST(SegmentReader, UnreadableIsaThenGoodInterchangeIsRead) {
  const std::string broken = "ISA*00*BROKEN HEADER~\nGS*SW*X*Y*20261120*1432*1*X*004010~\nST*945*0001~\n";
  const std::string good = Canon945("000000002");
  const std::string text = broken + good;
  const ReadLog log = ReadAll(text);
  ASSERT_GE(log.items.size(), 2u);
  EXPECT_EQ(log.items[0].status, ReadStatus::kError);
  EXPECT_FALSE(log.items[0].ta1_code.empty());
  EXPECT_EQ(log.Errors(), 1u);
  EXPECT_EQ(log.Raw(), Split(good));
  size_t first = 0;
  while (first < log.items.size() && log.items[first].status != ReadStatus::kSegment) ++first;
  ASSERT_LT(first, log.items.size());
  EXPECT_TRUE(log.items[first].starts_interchange);
  EXPECT_EQ(log.items[first].offset, broken.size());
  EXPECT_EQ(log.items.back().status, ReadStatus::kEnd);
}

std::string WrappedTwoInterchanges(size_t width, size_t col, std::string* flat_out);

// PROPERTY: the chunk size of the source never changes what is read.
TEST(SegmentReaderProperty, ChunkBoundariesDoNotMatter) {
  std::string big;
  {
    std::vector<std::string> sets;
    for (int i = 1; i <= 6; ++i) sets.push_back(x12test::Set945("000" + std::to_string(i), "ORD" + std::to_string(i), "SHP", 40));
    big = x12test::Interchange(sets);
  }
  std::string long_bad = Replace(Canon945("000000001"), "N3*12 MAIN STREET", "N3*" + std::string(9000, 'Y'));
  std::string scratch;
  std::string unterminated = Redelimit(Canon945(), '*', ':', kEll);
  unterminated.resize(unterminated.size() - kEll.size());
  const std::vector<std::string> inputs = {
      Canon945(),
      "\xEF\xBB\xBF\r\n" + Redelimit(Canon945(), '*', ':', "~", "\r\n"),
      Redelimit(Canon945(), '*', ':', "\n"),
      Redelimit(Canon945(), '*', ':', "\r", "\n   "),
      Redelimit(Canon945(), '*', ':', "\x85"),
      Redelimit(Canon945(), '*', ':', kEll),
      Redelimit(Canon945(), '*', ':', kEll, "\r\n"),
      Redelimit(Canon945(), '|', '>', "\xC3\x96", "\n") + Redelimit(Canon945("000000002"), '~', '^', kEll) +
          Redelimit(Canon945("000000003"), '>', '+', "\x1D"),
      Redelimit(big, '*', ':', kEll),
      Redelimit(big, '*', ':', "\xC3\x96", "\r\n"),
      Wrap(FlatWithIeaSplitAt80(), 80, "\r\n"),
      Wrap(Redelimit(big, '*', ':', "~"), 80, "\n"),
      Canon945() + "  \n" + std::string(100, '\0') + "GARBAGE\n" + Canon945("000000002"),
      "NOT X12 AT ALL\n",
      "ISA*00*BROKEN~\n" + Canon945("000000002"),
      Replace(Canon945(), "W12*CC*10*10**EA**SK*SKU-1001", "W12*CC*10*10**EA**SK*\r\nSKU-1001"),
      Replace(Canon945(), "N3*12 MAIN STREET", "N3*12 MAIN\nSTREET"),
      unterminated,
      long_bad + Canon945("000000002"),
      WrappedTwoInterchanges(80, 78, &scratch),
      WrappedTwoInterchanges(256, 3, &scratch),
      // Wrapped with "…": line breaks inside the ISA's terminator (106) and later ones (81).
      Wrap(Redelimit(Canon945(), '*', ':', kEll), 81, "\r\n"),
      Wrap(Redelimit(Canon945(), '*', ':', kEll), 106, "\n"),
  };
  for (size_t k = 0; k < inputs.size(); ++k) {
    SCOPED_TRACE("input " + std::to_string(k));
    ReaderOptions ref_opt;
    ref_opt.chunk_bytes = 1 << 20;
    ref_opt.max_segment_bytes = 4096;
    const ReadLog ref = ReadAll(inputs[k], ref_opt);
    ASSERT_GE(ref.items.size(), 1u);
    if (k < 12) {
      EXPECT_EQ(ref.Errors(), 0u);
      EXPECT_GT(ref.Raw().size(), 10u);
    }
    for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{5}, size_t{7}, size_t{13}, size_t{64}, size_t{4096}}) {
      SCOPED_TRACE("chunk " + std::to_string(chunk));
      ReaderOptions opt = ref_opt;
      opt.chunk_bytes = chunk;
      const ReadLog got = ReadAll(inputs[k], opt);
      ASSERT_EQ(got.items.size(), ref.items.size());
      for (size_t i = 0; i < ref.items.size(); ++i) {
        ASSERT_EQ(got.items[i], ref.items[i]) << "item " << i;
      }
      ASSERT_EQ(got.notices.size(), ref.notices.size());
      for (size_t i = 0; i < ref.notices.size(); ++i) {
        EXPECT_EQ(got.notices[i].offset, ref.notices[i].offset);
        EXPECT_EQ(got.notices[i].message, ref.notices[i].message);
      }
    }
  }
}

}  // namespace

namespace {

// Several interchanges flattened and wrapped at `width`, padded so that the second "ISA" tag
// starts `col` bytes into a line.
std::string WrappedTwoInterchanges(size_t width, size_t col, std::string* flat_out) {
  for (int pad = 0; pad < static_cast<int>(width); ++pad) {
    std::string first = Replace(Canon945("000000001"), "N3*12 MAIN STREET", "N3*12 MAIN STREET " + std::string(pad, 'A'));
    std::string flat = Redelimit(first, '*', ':', "~") + Redelimit(Canon945("000000002"), '*', ':', "~") +
                       Redelimit(Canon945("000000003"), '*', ':', "~");
    const size_t second = flat.find("ISA*", 1);
    if (second % width == col) {
      *flat_out = flat;
      return Wrap(flat, width, "\r\n");
    }
  }
  ADD_FAILURE() << "no padding puts the ISA at column " << col;
  return {};
}

TEST(SegmentReader, WrappedFileWithBreakInsideLaterIsaTag) {
  for (size_t col : {size_t{78}, size_t{79}, size_t{77}, size_t{0}, size_t{40}}) {
    SCOPED_TRACE("column " + std::to_string(col));
    std::string flat;
    const std::string text = WrappedTwoInterchanges(80, col, &flat);
    const ReadLog log = ReadAll(text);
    ExpectCleanEnd(log);
    EXPECT_EQ(log.interchanges.size(), 3u);
    ExpectSameSegments(log.Raw(), Split(flat));
  }
}

TEST(SegmentReader, WrappedAtWiderColumnsWithSeveralInterchanges) {
  // At 128 or 256 columns a later ISA may hold no line break: the wrapping must still be
  // recognised from the lines that follow it.
  for (size_t width : {size_t{128}, size_t{256}}) {
    for (size_t col : {size_t{3}, size_t{10}}) {
      SCOPED_TRACE("width " + std::to_string(width) + " column " + std::to_string(col));
      std::string flat;
      const std::string text = WrappedTwoInterchanges(width, col, &flat);
      const ReadLog log = ReadAll(text);
      ExpectCleanEnd(log);
      EXPECT_EQ(log.interchanges.size(), 3u);
      ExpectSameSegments(log.Raw(), Split(flat));
    }
  }
}

}  // namespace

namespace {

// x12-notes.md 10 has both quirks; a file may have both: wrapped at a fixed column, with a
// terminator of several bytes ("…" as UTF-8). At some width the line break falls right after
// ISA16, or between the terminator's bytes, in the ISA or in any later segment.
TEST(SegmentReader, WrappedAtAnyWidthWhateverTheTerminator) {
  const std::string canon = Canon945("000000001") + Canon945("000000002");
  const std::vector<std::string> want = Split(canon);
  for (const std::string& terminator : {std::string("~"), std::string("\x85"), kEll}) {
    const std::string flat = Redelimit(Canon945("000000001"), '*', ':', terminator) +
                       Redelimit(Canon945("000000002"), '*', ':', terminator);
    for (const char* eol : {"\n", "\r\n"}) {
      for (size_t width = 40; width <= 130; ++width) {
        SCOPED_TRACE("terminator of " + std::to_string(terminator.size()) + " bytes, width " + std::to_string(width) +
                     ", eol of " + std::to_string(std::string(eol).size()) + " bytes");
        const ReadLog log = ReadAll(Wrap(flat, width, eol));
        ExpectCleanEnd(log);
        ASSERT_EQ(log.layouts.size(), 2u);
        EXPECT_TRUE(log.layouts[0].wrapped);
        EXPECT_EQ(log.interchanges[0].terminator, terminator);
        EXPECT_EQ(log.interchanges[1].terminator, terminator);
        ExpectSameSegments(log.Canon(), want);
        if (HasFailure()) return;  // one width's report is enough
      }
    }
  }
}

// The same bytes with the line break as the terminator are not a wrapped file: a newline
// after ISA16 followed by the next segment's tag is the terminator.
TEST(SegmentReader, NewlineTerminatorRightAfterIsa16IsNotTakenForWrapping) {
  const std::string text = Redelimit(Canon945(), '*', ':', "\n");
  const ReadLog log = ReadAll(text);
  ExpectCleanEnd(log);
  ASSERT_EQ(log.layouts.size(), 1u);
  EXPECT_FALSE(log.layouts[0].wrapped);
  EXPECT_EQ(log.interchanges[0].terminator, "\n");
  ExpectSameSegments(log.Canon(), Split(Canon945()));
}

}  // namespace
