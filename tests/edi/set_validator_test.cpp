// Schema validation of set bodies: every AK304 and AK403 code, loops, and the 856 HL tree.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "edi/schema.h"
#include "edi/segment.h"
#include "edi/set_validator.h"
#include "tests/support/x12_text.h"

namespace {

using x12test::HasElementCode;
using x12test::HasSegmentCode;
using x12test::Interchange;

// Wraps body segments (canonical text between ST and SE) into a 945 set with the right SE01.
std::string Set(const std::string& id, const std::string& body) {
  size_t n = 2;
  for (char c : body) n += c == '~';
  return "ST*" + id + "*0001~\n" + body + "SE*" + std::to_string(n) + "*0001~\n";
}

edi::SetResult Check945(const std::string& body) {
  auto c = x12test::ValidateText(Interchange({Set("945", body)}));
  EXPECT_EQ(c.sets.size(), 1u);
  return c.sets.empty() ? edi::SetResult{} : c.sets[0];
}

const std::string kHead =
    "W06*N*ORD1*20261120*SHP1~\nN1*ST*STORE*92*S12~\n";
const std::string kLine = "LX*1~\nW12*CC*10*10**EA**SK*SKU1~\n";

std::string Dump(const edi::SetResult& s) {
  std::string out;
  for (const auto& e : s.errors) out += e.Describe() + "\n";
  return out;
}

TEST(SetSchema, MinimalValid945) {
  edi::SetResult s = Check945(kHead + kLine);
  EXPECT_EQ(s.status, 'A') << Dump(s);
}

TEST(SetSchema, MandatorySegmentMissingIsCode3) {
  edi::SetResult s = Check945("N1*ST*STORE*92*S12~\n" + kLine);
  EXPECT_EQ(s.status, 'R');
  ASSERT_TRUE(HasSegmentCode(s, "3")) << Dump(s);
  EXPECT_EQ(s.errors.at(0).segment, "W06");
}

TEST(SetSchema, MandatoryLoopMissingIsCode3) {
  edi::SetResult s = Check945("W06*N*ORD1*20261120*SHP1~\n" + kLine);
  ASSERT_TRUE(HasSegmentCode(s, "3")) << Dump(s);
  EXPECT_EQ(s.errors.at(0).segment, "N1");
}

TEST(SetSchema, UnrecognizedSegmentIsCode1) {
  edi::SetResult s = Check945(kHead + "ZZZ*1~\n" + kLine);
  ASSERT_TRUE(HasSegmentCode(s, "1")) << Dump(s);
  EXPECT_EQ(s.errors.at(0).segment_position, 4u);
}

TEST(SetSchema, SegmentOfAnotherSetIsCode6) {
  edi::SetResult s = Check945(kHead + "BSN*00*X*20261120*1200~\n" + kLine);
  EXPECT_TRUE(HasSegmentCode(s, "6")) << Dump(s);
}

TEST(SetSchema, SegmentOutOfOrderIsCode7) {
  edi::SetResult s = Check945(kHead + kLine + "W10*01~\n");
  EXPECT_TRUE(HasSegmentCode(s, "7")) << Dump(s);
}

TEST(SetSchema, SegmentOverMaximumUseIsCode5) {
  std::string body = kHead;
  for (int i = 0; i < 6; ++i) body += "G62*11*20261120~\n";  // G62 max use 5
  edi::SetResult s = Check945(body + kLine);
  EXPECT_TRUE(HasSegmentCode(s, "5")) << Dump(s);
}

TEST(SetSchema, LoopOverMaximumIsCode4) {
  std::string body = "W06*N*ORD1*20261120*SHP1~\n";
  for (int i = 0; i < 11; ++i) body += "N1*ST*STORE*92*S" + std::to_string(i) + "~\n";  // loop 0100 max 10
  edi::SetResult s = Check945(body + kLine);
  EXPECT_TRUE(HasSegmentCode(s, "4")) << Dump(s);
}

TEST(SetSchema, NestedLoopsRepeat) {
  std::string body = kHead;
  for (int lx = 1; lx <= 3; ++lx) {
    body += "LX*" + std::to_string(lx) + "~\n";
    for (int w = 1; w <= 2; ++w) body += "W12*CC*1*1**EA**SK*S" + std::to_string(lx * 10 + w) + "~\nN9*2I*T~\n";
  }
  body += "W03*6~\n";
  edi::SetResult s = Check945(body);
  EXPECT_EQ(s.status, 'A') << Dump(s);
}

struct ElementCase {
  const char* name;
  const char* replace;  // a W06 or W12 line with the error
  const char* code;
  int element;
};

class ElementErrors : public ::testing::TestWithParam<ElementCase> {};

TEST_P(ElementErrors, CarryTheirAk403Code) {
  const ElementCase& p = GetParam();
  edi::SetResult s = Check945(std::string(p.replace) + "\nN1*ST*STORE*92*S12~\n" + kLine);
  EXPECT_EQ(s.status, 'R');
  ASSERT_TRUE(HasElementCode(s, p.code)) << Dump(s);
  for (const auto& e : s.errors) {
    if (e.element_code == p.code) {
      EXPECT_EQ(e.element, p.element) << e.Describe();
      EXPECT_EQ(e.segment_code, "8");
      EXPECT_EQ(e.segment_position, 2u);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Codes, ElementErrors,
    ::testing::Values(ElementCase{"MandatoryMissing", "W06**ORD1*20261120*SHP1~", "1", 1},
                      ElementCase{"TooLong", "W06*N*ORDER-NUMBER-THAT-IS-TOO-LONG*20261120~", "5", 2},
                      ElementCase{"TooShort", "W06*N*ORD1*20261120*SHP1***LINK*123~", "4", 8},
                      ElementCase{"InvalidCode", "W06*Q*ORD1*20261120*SHP1~", "7", 1},
                      ElementCase{"InvalidDate", "W06*N*ORD1*20261331*SHP1~", "8", 3},
                      ElementCase{"PlaceholderDate", "W06*N*ORD1*CCYYMMDD*SHP1~", "8", 3},
                      ElementCase{"TooManyElements", "W06*N*ORD1*20261120*SHP1*********X~", "3", 13},
                      ElementCase{"PairedMissing", "W06*N*ORD1*20261120*SHP1***LINK~", "2", 8},
                      ElementCase{"InvalidCharacter", "W06*N*OR\x01D*20261120~", "6", 2}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SetSchema, InvalidTimeIsCode9) {
  edi::SetResult s = Check945(kHead + "G62*11*20261120*8*2561~\n" + kLine);
  EXPECT_TRUE(HasElementCode(s, "9")) << Dump(s);
}

TEST(SetSchema, NumericTypesCountDigitsOnly) {
  // R: sign and decimal point do not count toward the length; letters are invalid.
  edi::SetResult ok = Check945(kHead + "LX*1~\nW12*CC*-12.5*12.5**EA**SK*SKU1~\n");
  EXPECT_EQ(ok.status, 'A') << Dump(ok);
  edi::SetResult bad = Check945(kHead + "LX*1~\nW12*CC*1O*10**EA**SK*SKU1~\n");
  EXPECT_TRUE(HasElementCode(bad, "6")) << Dump(bad);
}

TEST(SetSchema, TrailingSeparatorsAreTolerated) {
  edi::SetResult s = Check945("W06*N*ORD1*20261120*SHP1****~\nN1*ST*STORE*92*S12~\n" + kLine);
  EXPECT_EQ(s.status, 'A') << Dump(s);
}

TEST(SetSchema, ComponentSeparatorInsideSimpleElementIsInvalidCharacter) {
  edi::SetResult s = Check945("W06*N*ORD:1*20261120*SHP1~\nN1*ST*STORE*92*S12~\n" + kLine);
  EXPECT_TRUE(HasElementCode(s, "6")) << Dump(s);
}

// ---- 856 hierarchy ----

edi::SetResult Check856(const std::string& body) {
  auto c = x12test::ValidateText(Interchange({Set("856", body)}, "SH"));
  return c.sets.at(0);
}

TEST(Hierarchy, ParentMustBeAnEarlierHl) {
  edi::SetResult s = Check856("BSN*00*ASN1*20261120*1200~\nHL*1**S~\nHL*2*9*O~\nHL*3*2*I~\n");
  EXPECT_EQ(s.status, 'R');
  bool found = false;
  for (const auto& e : s.errors) found |= e.segment == "HL" && e.element == 2 && e.message.find("'9'") != std::string::npos;
  EXPECT_TRUE(found) << Dump(s);
}

TEST(Hierarchy, DuplicateHlIdIsRejected) {
  edi::SetResult s = Check856("BSN*00*ASN1*20261120*1200~\nHL*1**S~\nHL*2*1*O~\nHL*2*1*O~\n");
  EXPECT_EQ(s.status, 'R') << Dump(s);
}

TEST(Hierarchy, MissingParentIdsAreNotedNotRejected) {
  edi::SetResult s = Check856("BSN*00*ASN1*20261120*1200~\nHL*1**S~\nHL*2**O~\nHL*3**I~\nLIN**SK*A~\nSN1**1*EA~\n");
  EXPECT_EQ(s.status, 'A') << Dump(s);
  int notes = 0;
  for (const auto& e : s.errors) notes += e.warning && e.segment == "HL";
  EXPECT_EQ(notes, 2);
}

// Ids are compared as written ("01" is not "1"), whatever their form: canonical numbers,
// leading zeros, letters, large values, an HL naming itself.
TEST(Hierarchy, IdsAreComparedAsWritten) {
  edi::SetResult s = Check856(
      "BSN*00*ASN1*20261120*1200~\nHL*1**S~\nHL*01*1*O~\nHL*A1*01*P~\nHL*1000000*A1*I~\nHL*999999*1000000*I~\n"
      "HL*5*5*I~\nHL*01*1*I~\nHL*7*01*I~\nHL*8*08*I~\nHL*999999*7*I~\n");
  std::vector<std::string> found;
  for (const auto& e : s.errors) {
    if (e.segment == "HL" && (e.element == 1 || e.element == 2)) found.push_back(e.message);
  }
  EXPECT_EQ(found, (std::vector<std::string>{"HL01 '01' is not unique in the transaction set",
                                             "HL02 '08' names no earlier HL01",
                                             "HL01 '999999' is not unique in the transaction set"}))
      << Dump(s);
}

// ---- the embedded schemas ----

TEST(Schemas, EverySetIsEmbeddedAndParses) {
  const edi::SchemaRegistry& r = edi::SchemaRegistry::Builtin();
  for (const char* id : {"940", "945", "856", "846", "944", "997"}) {
    const edi::SetSchema* s = r.FindSet(id, "004010VICS");
    ASSERT_NE(s, nullptr) << id;
    EXPECT_EQ(s->root.children.front().tag, "ST");
    EXPECT_EQ(s->root.children.back().tag, "SE");
  }
  EXPECT_NE(r.FindSet("997", "005010X231"), nullptr);
  EXPECT_NE(r.FindSet("999", "005010X231A1"), nullptr);
  EXPECT_EQ(r.FindSet("945", "003060"), nullptr);
  EXPECT_EQ(r.FunctionalIdFor("940"), "OW");
  EXPECT_EQ(r.FunctionalIdFor("944"), "RE");
}

// The 999 (005010X231) is checked like any set: IK3/CTX/IK4 nest under AK2, IK5 closes it.
TEST(SetSchema, A999IsValidatedAgainstItsImplementationGuide) {
  x12test::IsaFields isa;
  isa.version = "00501";
  isa.isa11 = "^";
  const auto check = [&](const std::string& body) {
    auto c = x12test::ValidateText(Interchange({Set("999", body)}, "FA", isa, "41", "005010X231A1"));
    EXPECT_EQ(c.sets.size(), 1u);
    return c.sets.empty() ? edi::SetResult{} : c.sets[0];
  };
  const std::string ak1 = "AK1*OW*312*004010~\n";
  edi::SetResult ok = check(ak1 + "AK2*940*3120002~\nIK3*G62*7**8~\nCTX*SITUATIONAL TRIGGER*W05*2~\n" +
                            "IK4*2*373*8*2026113~\nIK5*R*I5~\nAK9*R*1*1*0~\n");
  EXPECT_EQ(ok.status, 'A') << Dump(ok);
  edi::SetResult no_ik5 = check(ak1 + "AK2*940*3120002~\nAK9*R*1*1*0~\n");
  EXPECT_EQ(no_ik5.status, 'R');
  EXPECT_TRUE(HasSegmentCode(no_ik5, "3")) << Dump(no_ik5);
  edi::SetResult ik4_first = check(ak1 + "AK2*940*3120002~\nIK4*2*373*8~\nIK5*R~\nAK9*R*1*1*0~\n");
  EXPECT_EQ(ik4_first.status, 'R') << Dump(ik4_first);
  edi::SetResult bad_code = check(ak1 + "AK2*940*3120002~\nIK5*Q~\nAK9*R*1*1*0~\n");
  EXPECT_TRUE(HasElementCode(bad_code, "7")) << Dump(bad_code);
}

TEST(Schemas, ParseErrorsNameFileAndLine) {
  auto bad = edi::SchemaRegistry::Load({{"009999/segments.x12s", "segment ST \"x\"\n  ST01 143 M ID 3/3\n  ST02 329 M QQ 4/9\n"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("009999/segments.x12s:3"), std::string::npos) << bad.error().message;
  auto unknown = edi::SchemaRegistry::Load(
      {{"009999/segments.x12s", "segment ST\n  ST01 143 M ID 3/3\nsegment SE\n  SE01 96 M N0 1/10\n"},
       {"009999/123.x12s", "set 123 XX\nST M 1\nFOO M 1\nSE M 1\n"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("009999/123.x12s:3"), std::string::npos) << unknown.error().message;
}

TEST(Schemas, ANewSetIsANewFileNotNewCode) {
  // A 943 defined purely as data validates like the built-in sets.
  auto reg = edi::SchemaRegistry::Load(
      {{"004010/segments.x12s",
        "segment ST\n  ST01 143 M ID 3/3\n  ST02 329 M AN 4/9\nsegment SE\n  SE01 96 M N0 1/10\n  SE02 329 M AN 4/9\n"
        "segment W06 \"x\"\n  W0601 514 M ID 1/1 \"Reporting Code\" F,N\n"},
       {"004010/943.x12s", "set 943 AR \"Stock Transfer Shipment Advice\"\nST M 1\nW06 M 1\nSE M 1\n"}});
  ASSERT_TRUE(reg.ok()) << reg.error().message;
  edi::ValidationOptions o;
  o.schemas = reg->get();
  auto c = x12test::ValidateText(Interchange({"ST*943*0001~\nW06*Z~\nSE*3*0001~\n"}, "AR"), o);
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_EQ(c.sets[0].status, 'R');
  EXPECT_TRUE(HasElementCode(c.sets[0], "7"));
}

}  // namespace

// The one-pass clean check reads segments under 64 bytes in 16-byte blocks, past their end
// when the reader guarantees padding (Segment::padded()) and from a copy otherwise. Both must
// give exactly the verdicts and errors of the element-by-element checks alone, whatever the
// bytes: a segment the one-pass check calls clean must be one the exact checks pass.
TEST(SetSchema, PaddedAndUnpaddedSegmentsGetTheSameErrors) {
  const edi::SchemaRegistry& registry = edi::SchemaRegistry::Builtin();
  const edi::SetSchema* schema = registry.FindSet("945", "004010");
  ASSERT_NE(schema, nullptr);
  edi::Delimiters d;
  d.component = '>';
  // A valid 945 body (the generator's shape); each round mutates one of its segments.
  const std::vector<std::string> valid = {
      "W06*N*ORD1*20261120*SHP1", "N1*ST*STORE NAME*92*S12", "N3*1200 INDUSTRIAL PKWY",
      "N4*COLUMBUS*OH*43228*US", "N9*BM*BOL004590590", "G62*11*20261120*8*0714",
      "W27*M*XPOL*XPO LOGISTICS*PP", "LX*1", "MAN*GM*00506141413217802351", "N9*2I*886251455644",
      "W12*CL*16*16*0*PK**SK*TOY-50070*L3068036*3.68*G*L", "W12*CP*45*17*28*CA**SK*WDG-20056",
      "W12*CC*2*2*0*CA**SK*TLS-09651-EXTRA-LONG-PRODUCT-CODE-OVER-64B*L7254772*0.5*G*L",
      "W03*261*1341.41*LB*33.93*CF*5*CT"};
  const std::vector<std::string> values = {"", ".", "5.", ".5", "1.2.3", "-1", "-1.5", "-", "007", "A",
                                           "ABC", "20261131", "20260229", "20240229", "2460", "0714",
                                           "CL", "ZZ", "X\x01", "X>Y", "123456789012345678901234"};
  const std::string alphabet = "*~:>^ABZ019-.\n \x01\x7fXYZ";
  std::mt19937 rng(20261127);
  auto errors_of = [&](const std::vector<std::string>& body, bool padded, bool fast = true) {
    edi::SetValidatorOptions options;
    options.fast_checks = fast;
    edi::SetValidator v(registry, options);
    v.Begin(schema);
    std::vector<std::string> storage;  // unpadded: each segment in its own exact-size string
    std::string arena;                 // padded: one buffer with slack after every segment
    arena.reserve(body.size() * 200);
    std::string out;
    uint32_t position = 1;
    for (const std::string& text : body) {
      edi::Segment seg;
      if (padded) {
        const size_t at = arena.size();
        arena += text;
        arena.append(edi::kSegmentPadding, '\xAA');  // garbage that must not matter
        seg.Assign(std::string_view(arena.data() + at, text.size()), 0, &d, true);
      } else {
        storage.push_back(text);
        seg.Assign(storage.back(), 0, &d);
      }
      v.OnSegment(seg, ++position);
    }
    for (const edi::Error& e : v.errors()) out += e.Describe() + "\n";
    return out + (v.rejected() ? "rejected" : "accepted");
  };
  ASSERT_EQ(errors_of(valid, true), "accepted") << "the unmutated body must be valid";
  int rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::string> body = valid;
    std::string& text = body[rng() % body.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits && !text.empty(); ++k) {
      const size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.erase(at, 1 + rng() % 3); break;
        case 2: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default: {  // one element's value replaced by an edge case of some type
          const size_t start = text.find('*', at);
          if (start == std::string::npos) break;
          const size_t end = std::min(text.find('*', start + 1), text.size());
          text.replace(start + 1, end - start - 1, values[rng() % values.size()]);
        }
      }
    }
    const std::string padded = errors_of(body, true);
    ASSERT_EQ(padded, errors_of(body, false)) << "segment: " << text;
    ASSERT_EQ(padded, errors_of(body, false, /*fast=*/false)) << "segment: " << text;
    rejected += padded.ends_with("rejected") ? 1 : 0;
  }
  // The mutations must exercise both verdicts, or the comparison proves little.
  EXPECT_GT(rejected, 300);
  EXPECT_LT(rejected, 2700);
}
