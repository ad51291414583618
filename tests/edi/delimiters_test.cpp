// DetectIsa(): one test (at least) per ISA quirk of x12-notes.md 1.3, 1.5 and 10.
#include "edi/delimiters.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/x12_text.h"

namespace {

using edi::DetectIsa;
using edi::IsaLayout;
using edi::Result;
using x12test::Isa;
using x12test::IsaFields;

// The segments after the ISA in the tests below (canonical: '*', '~' + newline).
const char kAfterIsa[] =
    "GS*SW*RENO3PL*OMSGATEWAY*20261120*1432*41*X*004010~\n"
    "ST*945*0001~\n"
    "W06*N*ORD1*20261120*SHP1~\n";

std::string IsaWith(std::string component) {
  IsaFields f;
  f.component = std::move(component);
  return Isa(f);
}

IsaLayout DetectOk(const std::string& data) {
  Result<IsaLayout> r = DetectIsa(data);
  if (!r.ok()) {
    ADD_FAILURE() << "DetectIsa failed: " << r.error().Describe();
    return IsaLayout{};
  }
  return r.value();
}

TEST(DetectIsa, PaddedIsaFastPath) {
  const std::string data = Isa() + "~\n" + kAfterIsa;
  const IsaLayout l = DetectOk(data);
  EXPECT_EQ(l.delimiters.element, '*');
  EXPECT_EQ(l.delimiters.component, ':');
  EXPECT_EQ(l.delimiters.terminator, "~");
  EXPECT_EQ(l.delimiters.repetition, 0);
  EXPECT_TRUE(l.padded);
  EXPECT_FALSE(l.isa16_missing);
  EXPECT_FALSE(l.wrapped);
  EXPECT_EQ(l.segment_bytes, 105u);
  EXPECT_EQ(l.consumed, 106u);
  EXPECT_TRUE(l.notices.empty());
}

TEST(DetectIsa, UnpaddedIsaIsFlaggedAndParsed) {
  const std::string isa =
      "ISA*00**00**ZZ*RENO3PL*ZZ*OMSGATEWAY*261120*1432*U*00401*4001*0*P*>";
  const std::string data = isa + "~\n" + kAfterIsa;
  const IsaLayout l = DetectOk(data);
  EXPECT_FALSE(l.padded);
  EXPECT_EQ(l.delimiters.element, '*');
  EXPECT_EQ(l.delimiters.component, '>');
  EXPECT_EQ(l.delimiters.terminator, "~");
  EXPECT_EQ(l.segment_bytes, isa.size());
  EXPECT_EQ(l.consumed, isa.size() + 1);
  EXPECT_FALSE(l.notices.empty());
}

TEST(DetectIsa, UnpaddedIsaWithSpacesInsteadOfWidths) {
  // The copy-pasted style: "ISA*00* *00* *ZZ*7777777777 *14*..." with a '|' ISA16.
  const std::string isa =
      "ISA*00* *00* *ZZ*7777777777 *14*123456789 *261120*1432*U*00401*000000123*0*T*|";
  const IsaLayout l = DetectOk(isa + "~\r\n" + kAfterIsa);
  EXPECT_FALSE(l.padded);
  EXPECT_EQ(l.delimiters.component, '|');
  EXPECT_EQ(l.delimiters.terminator, "~");
  EXPECT_EQ(l.consumed, isa.size() + 1);
}

TEST(DetectIsa, Isa16MissingTakesTildeAsTerminator) {
  // "...*0*P*~" + newline: the '~' is the terminator, not ISA16.
  const std::string isa = IsaWith("");
  ASSERT_EQ(isa.size(), 104u);
  const std::string data = isa + "~\n" + kAfterIsa;
  const IsaLayout l = DetectOk(data);
  EXPECT_TRUE(l.isa16_missing);
  EXPECT_EQ(l.delimiters.terminator, "~");
  EXPECT_EQ(l.delimiters.component, 0);
  EXPECT_EQ(l.delimiters.element, '*');
  EXPECT_EQ(l.segment_bytes, 104u);
  EXPECT_EQ(l.consumed, 105u);
  EXPECT_FALSE(l.notices.empty());
}

TEST(DetectIsa, Isa16MissingWithCrlfLineEnds) {
  const std::string data = IsaWith("") + "~\r\n" + x12test::Redelimit(kAfterIsa, '*', ':', "~", "\r\n");
  const IsaLayout l = DetectOk(data);
  EXPECT_TRUE(l.isa16_missing);
  EXPECT_EQ(l.delimiters.terminator, "~");
  EXPECT_EQ(l.delimiters.component, 0);
}

TEST(DetectIsa, TildeNewlineIsNotReinterpretedWhenNextLineHasNoTilde) {
  // ISA16 really is '~' and the terminator really is '\n' (every line ends without '~').
  const std::string data =
      IsaWith("~") + "\n" + x12test::Redelimit(kAfterIsa, '*', ':', "\n");
  const IsaLayout l = DetectOk(data);
  EXPECT_FALSE(l.isa16_missing);
  EXPECT_EQ(l.delimiters.component, '~');
  EXPECT_EQ(l.delimiters.terminator, "\n");
}

TEST(DetectIsa, IsaEndingInUsageThenNewlineHasNoTerminator) {
  // "...*0*P*" + newline + "GS...": neither ISA16 nor a terminator.
  const std::string data = IsaWith("") + "\n" + kAfterIsa;
  Result<IsaLayout> r = DetectIsa(data);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().ta1_code == "004" || r.error().ta1_code == "022") << r.error().ta1_code;
  EXPECT_EQ(r.error().layer, edi::Layer::kInterchange);
}

TEST(DetectIsa, NoSegmentTerminatorAtAll) {
  // ISA16 followed directly by "GS": the terminator comes out as the letter 'G'.
  const std::string data = Isa() + x12test::Redelimit(kAfterIsa, '*', ':', "");
  Result<IsaLayout> r = DetectIsa(data);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ta1_code, "004");
  EXPECT_EQ(r.error().offset, 105u);
}

TEST(DetectIsa, IsaWithOnlyTenElements) {
  const std::string data =
      "ISA*00*          *00*          *ZZ*RENO3PL        *ZZ*OMSGATEWAY     *261120*1432~\n" +
      std::string(kAfterIsa) + "W12*CC*10*10**EA**SK*SKU-1001~\nSE*4*0001~\n";
  Result<IsaLayout> r = DetectIsa(data);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ta1_code, "022") << r.error().Describe();
}

TEST(DetectIsa, TruncatedInputInsideIsa) {
  Result<IsaLayout> r = DetectIsa(Isa().substr(0, 60));
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(r.error().ta1_code.empty());
}

TEST(DetectIsa, OneInconsistentElementSeparator) {
  std::string isa = Isa();
  ASSERT_EQ(isa[17], '*');
  isa[17] = '|';  // "ISA*00*          |00*..."
  Result<IsaLayout> r = DetectIsa(isa + "~\n" + kAfterIsa);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ta1_code, "026");
  EXPECT_EQ(r.error().offset, 17u);
  EXPECT_NE(r.error().message.find("offset 17"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find('|'), std::string::npos) << r.error().message;
}

TEST(DetectIsa, AlphanumericTerminator) {
  Result<IsaLayout> r = DetectIsa(Isa() + "X\n" + kAfterIsa);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ta1_code, "004");
}

TEST(DetectIsa, SpaceTerminatorIsRejected) {
  Result<IsaLayout> r = DetectIsa(Isa() + " " + x12test::Redelimit(kAfterIsa, '*', ':', " "));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ta1_code, "004");
}

TEST(DetectIsa, TerminatorEqualToComponentSeparatorIsRejected) {
  Result<IsaLayout> r = DetectIsa(Isa() + ":" + x12test::Redelimit(kAfterIsa, '*', '>', ":"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ta1_code, "004");
}

TEST(DetectIsa, ComponentEqualToElementSeparatorIsRejected) {
  Result<IsaLayout> r = DetectIsa(IsaWith("*") + "~\n" + kAfterIsa);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ta1_code, "027");
}

TEST(DetectIsa, TerminatorEqualToElementSeparatorIsRejected) {
  Result<IsaLayout> r = DetectIsa(Isa() + "*" + x12test::Redelimit(kAfterIsa, '*', ':', "*"));
  ASSERT_FALSE(r.ok());
}

TEST(DetectIsa, RepetitionSeparatorCollidingWithComponentIsRejected) {
  IsaFields f;
  f.version = "00501";
  f.isa11 = ":";
  f.component = ":";
  Result<IsaLayout> r = DetectIsa(Isa(f) + "~\n" + kAfterIsa);
  ASSERT_FALSE(r.ok());
}

TEST(DetectIsa, SingleByte0x85Terminator) {
  const std::string data = Isa() + "\x85" + x12test::Redelimit(kAfterIsa, '*', ':', "\x85");
  const IsaLayout l = DetectOk(data);
  EXPECT_EQ(l.delimiters.terminator, "\x85");
  EXPECT_EQ(l.consumed, 106u);
  EXPECT_EQ(data.substr(l.consumed, 3), "GS*");
}

TEST(DetectIsa, Utf8EllipsisIsAThreeByteTerminator) {
  const std::string ell = "\xE2\x80\xA6";
  const std::string data = Isa() + ell + x12test::Redelimit(kAfterIsa, '*', ':', ell);
  const IsaLayout l = DetectOk(data);
  EXPECT_EQ(l.delimiters.terminator, ell);
  EXPECT_EQ(l.segment_bytes, 105u);
  EXPECT_EQ(l.consumed, 108u);
  EXPECT_EQ(data.substr(l.consumed, 3), "GS*");
}

TEST(DetectIsa, Utf8EllipsisWithCrlfSuffix) {
  const std::string ell = "\xE2\x80\xA6";
  const std::string data = Isa() + ell + "\r\n" + x12test::Redelimit(kAfterIsa, '*', ':', ell, "\r\n");
  const IsaLayout l = DetectOk(data);
  EXPECT_EQ(l.delimiters.terminator, ell);
  EXPECT_FALSE(l.wrapped);
}

TEST(DetectIsa, Utf8OUmlautIsATwoByteTerminator) {
  const std::string o = "\xC3\x96";
  const std::string data = Isa() + o + "\n" + x12test::Redelimit(kAfterIsa, '*', ':', o, "\n");
  const IsaLayout l = DetectOk(data);
  EXPECT_EQ(l.delimiters.terminator, o);
  EXPECT_EQ(l.consumed, 107u);
}

TEST(DetectIsa, ControlCharacter0x1DTerminator) {
  const std::string data = Isa() + "\x1D" + x12test::Redelimit(kAfterIsa, '*', ':', "\x1D");
  const IsaLayout l = DetectOk(data);
  EXPECT_EQ(l.delimiters.terminator, "\x1D");
  EXPECT_EQ(l.consumed, 106u);
}

TEST(DetectIsa, Isa11IsARepetitionSeparatorFrom00402) {
  IsaFields f;
  f.version = "00501";
  f.isa11 = "^";
  const IsaLayout l = DetectOk(Isa(f) + "~\n" + kAfterIsa);
  EXPECT_EQ(l.delimiters.repetition, '^');
}

TEST(DetectIsa, Isa11In00402IsARepetitionSeparator) {
  IsaFields f;
  f.version = "00402";
  f.isa11 = "!";
  const IsaLayout l = DetectOk(Isa(f) + "~\n" + kAfterIsa);
  EXPECT_EQ(l.delimiters.repetition, '!');
}

TEST(DetectIsa, Isa11CaretIn00401IsIgnored) {
  IsaFields f;
  f.version = "00401";
  f.isa11 = "^";
  const IsaLayout l = DetectOk(Isa(f) + "~\n" + kAfterIsa);
  EXPECT_EQ(l.delimiters.repetition, 0);
}

TEST(DetectIsa, Isa11UIn00401IsNotARepetitionSeparator) {
  const IsaLayout l = DetectOk(Isa() + "~\n" + kAfterIsa);
  EXPECT_EQ(l.delimiters.repetition, 0);
}

TEST(DetectIsa, Isa11UIn00501IsNotARepetitionSeparator) {
  IsaFields f;
  f.version = "00501";
  f.isa11 = "U";
  const IsaLayout l = DetectOk(Isa(f) + "~\n" + kAfterIsa);
  EXPECT_EQ(l.delimiters.repetition, 0);
}

TEST(DetectIsa, Isa11In00200IsIgnored) {
  IsaFields f;
  f.version = "00200";
  f.isa11 = "-";
  const IsaLayout l = DetectOk(Isa(f) + "~\n" + kAfterIsa);
  EXPECT_EQ(l.delimiters.repetition, 0);
}

TEST(DetectIsa, GreaterThanAsElementSeparator) {
  // The TA1 sample style: '>' elements, '+' components, CR terminator.
  const std::string data =
      x12test::Redelimit(IsaWith("+"), '>', '+', "") + "\r" + x12test::Redelimit(kAfterIsa, '>', '+', "\r");
  const IsaLayout l = DetectOk(data);
  EXPECT_EQ(l.delimiters.element, '>');
  EXPECT_EQ(l.delimiters.component, '+');
  EXPECT_EQ(l.delimiters.terminator, "\r");
  EXPECT_TRUE(l.padded);
}

TEST(DetectIsa, TildeElementSeparatorWithBraceTerminator) {
  const std::string data =
      x12test::Redelimit(Isa(), '~', ':', "") + "}" + x12test::Redelimit(kAfterIsa, '~', ':', "}", "\r\n");
  const IsaLayout l = DetectOk(data);
  EXPECT_EQ(l.delimiters.element, '~');
  EXPECT_EQ(l.delimiters.component, ':');
  EXPECT_EQ(l.delimiters.terminator, "}");
  EXPECT_EQ(l.consumed, 106u);
}

TEST(DetectIsa, TildeElementSeparatorWithStarTerminator) {
  const std::string data =
      x12test::Redelimit(IsaWith(">"), '~', '>', "") + "*" + x12test::Redelimit(kAfterIsa, '~', '>', "*");
  const IsaLayout l = DetectOk(data);
  EXPECT_EQ(l.delimiters.element, '~');
  EXPECT_EQ(l.delimiters.component, '>');
  EXPECT_EQ(l.delimiters.terminator, "*");
}

// Canonical text without line breaks, wrapped with `eol` every `width` bytes.
std::string Wrap(const std::string& flat, size_t width, const std::string& eol) {
  std::string out;
  for (size_t i = 0; i < flat.size(); i += width) {
    out += flat.substr(i, width);
    if (i + width < flat.size()) out += eol;
  }
  return out;
}

TEST(DetectIsa, WrappedAt80ColumnsWithBreakInsideIsa) {
  const std::string flat = Isa() + "~" + x12test::Redelimit(kAfterIsa, '*', ':', "~") +
                           "W12*CC*10*10**EA**SK*SKU-1001~LX*2~W12*CC*5*5**EA**SK*SKU-1002~" +
                           "SE*6*0001~GE*1*41~IEA*1*000004001~";
  const std::string data = Wrap(flat, 80, "\n");
  ASSERT_EQ(data[80], '\n');  // the break falls inside ISA10
  const IsaLayout l = DetectOk(data);
  EXPECT_TRUE(l.wrapped);
  EXPECT_EQ(l.delimiters.element, '*');
  EXPECT_EQ(l.delimiters.component, ':');
  EXPECT_EQ(l.delimiters.terminator, "~");
  // Lengths are raw bytes: 105 ISA bytes plus the one line break among them.
  EXPECT_EQ(l.segment_bytes, 106u);
  EXPECT_EQ(l.consumed, 107u);
  EXPECT_EQ(data.substr(l.consumed, 3), "GS*");
}

TEST(DetectIsa, WrappedAt80ColumnsWithCrlfBreaks) {
  const std::string flat = Isa() + "~" + x12test::Redelimit(kAfterIsa, '*', ':', "~") +
                           "W12*CC*10*10**EA**SK*SKU-1001~LX*2~W12*CC*5*5**EA**SK*SKU-1002~" +
                           "SE*6*0001~GE*1*41~IEA*1*000004001~";
  const std::string data = Wrap(flat, 80, "\r\n");
  const IsaLayout l = DetectOk(data);
  EXPECT_TRUE(l.wrapped);
  EXPECT_EQ(l.delimiters.terminator, "~");
  EXPECT_EQ(l.segment_bytes, 107u);
  EXPECT_EQ(l.consumed, 108u);
  EXPECT_EQ(data.substr(l.consumed, 3), "GS*");
}

TEST(DetectIsa, WrappedFileWithBreakAfterIsaIsDetected) {
  // Width 106 puts the first break right after the ISA terminator; later breaks fall inside
  // segments, so the file is still recognised as wrapped.
  const std::string flat = Isa() + "~" + x12test::Redelimit(kAfterIsa, '*', ':', "~") +
                           "W12*CC*10*10**EA**SK*SKU-1001~LX*2~W12*CC*5*5**EA**SK*SKU-1002~" +
                           "N9*2I*1Z999AA10123456781~N9*2I*1Z999AA10123456782~SE*8*0001~GE*1*41~IEA*1*000004001~";
  const std::string data = Wrap(flat, 106, "\n");
  const IsaLayout l = DetectOk(data);
  EXPECT_TRUE(l.wrapped);
  EXPECT_EQ(l.consumed, 106u);
}

TEST(DetectIsa, NotStartingWithIsa) {
  Result<IsaLayout> r = DetectIsa("GS*SW*A*B~");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ta1_code, "022");
  Result<IsaLayout> lower = DetectIsa("isa" + Isa().substr(3) + "~");
  EXPECT_FALSE(lower.ok());
}

TEST(DetectIsa, AlphanumericElementSeparator) {
  Result<IsaLayout> r = DetectIsa("ISAX00X" + std::string(200, ' '));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ta1_code, "026");
}

TEST(Utf8SequenceLength, RecognisesLeadBytes) {
  EXPECT_EQ(edi::Utf8SequenceLength("\xE2\x80\xA6", 0), 3u);
  EXPECT_EQ(edi::Utf8SequenceLength("\xC3\x96", 0), 2u);
  EXPECT_EQ(edi::Utf8SequenceLength("\x85", 0), 0u);
  EXPECT_EQ(edi::Utf8SequenceLength("\xE2\x80", 0), 0u);  // truncated
  EXPECT_EQ(edi::Utf8SequenceLength("\xE2\x41\xA6", 0), 0u);  // not a continuation
  EXPECT_EQ(edi::Utf8SequenceLength("~", 0), 0u);
}

}  // namespace
