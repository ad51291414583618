// X12Charset: what an outbound value may hold in the partner's X12 (x12_charset.h).
#include "gateway/mapping/x12_charset.h"

#include <gtest/gtest.h>

namespace {

using gateway::mapping::X12Charset;

gateway::partners::PartnerProfile Profile() {
  gateway::partners::PartnerProfile p;
  p.delimiters.element = '*';
  p.delimiters.component = '>';
  p.delimiters.repetition = '^';
  p.delimiters.terminator = "~";
  return p;
}

std::string Fit(X12Charset& c, std::string v, bool text) {
  c.Fit(&v, text, "$.x");
  return v;
}

TEST(X12Charset, CleanValuesPassUntouchedAndUnreported) {
  X12Charset c(Profile(), Profile().delimiters);
  EXPECT_EQ(Fit(c, "42 Elm Street, Apt #3 (rear) & co.", true), "42 Elm Street, Apt #3 (rear) & co.");
  EXPECT_EQ(Fit(c, "SKU-1/2", false), "SKU-1/2");
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_TRUE(c.errors.empty());
}

TEST(X12Charset, EveryDelimiterAndControlCharacterInTextIsReplacedAndTrimmed) {
  X12Charset c(Profile(), Profile().delimiters);
  EXPECT_EQ(Fit(c, "*a~b>c^d\re\x7f", true), "a b c d e");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0],
            "$.x: '*', '~', '>', '^', control character 0x0D, control character 0x7F cannot be sent in this "
            "partner's X12; written as 'a b c d e'");
}

TEST(X12Charset, AsciiTransliteratesLatinAndReplacesTheRest) {
  X12Charset c(Profile(), Profile().delimiters);
  EXPECT_EQ(Fit(c, "Stra\xc3\x9f" "e \xc3\x86gir \xc5\x92uvre \xe2\x80\x9c" "A\xe2\x80\x9d\xe2\x80\xa6 \xe2\x82\xac" "5", true),
            "Strasse AEgir OEuvre \"A\"... EUR5");
  EXPECT_EQ(Fit(c, "caf\xc3\xa9 \xf0\x9f\x98\x80 x", true), "cafe   x");  // an emoji has no ASCII form
  EXPECT_EQ(Fit(c, "bad \xc3 byte", true), "bad   byte");                // not UTF-8
  ASSERT_EQ(c.warnings.size(), 3u);
  EXPECT_NE(c.warnings[1].find("(U+1F600)"), std::string::npos) << c.warnings[1];
  EXPECT_NE(c.warnings[2].find("byte 0xC3 (not UTF-8)"), std::string::npos) << c.warnings[2];
}

TEST(X12Charset, AnIdentifierIsRefusedNotChanged) {
  X12Charset c(Profile(), Profile().delimiters);
  EXPECT_EQ(Fit(c, "SO*1", false), "SO*1");
  EXPECT_EQ(Fit(c, "CAF\xc3\x89", false), "CAF\xc3\x89");
  ASSERT_EQ(c.errors.size(), 2u);
  EXPECT_EQ(c.errors[0], "$.x: '*' cannot be sent in this partner's X12 and this value is not free text");
  EXPECT_TRUE(c.warnings.empty());
}

TEST(X12Charset, Utf8PassesLettersButNotDelimiters) {
  gateway::partners::PartnerProfile p = Profile();
  p.charset = "utf8";
  X12Charset c(p, p.delimiters);
  EXPECT_EQ(Fit(c, "M\xc3\xbcller*Co", true), "M\xc3\xbcller Co");
  EXPECT_EQ(Fit(c, "CAF\xc3\x89", false), "CAF\xc3\x89");
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(c.warnings.size(), 1u);
}

TEST(X12Charset, RejectRefusesFreeTextToo) {
  gateway::partners::PartnerProfile p = Profile();
  p.replace_in_data.reset();
  X12Charset c(p, p.delimiters);
  EXPECT_EQ(Fit(c, "a*b", true), "a*b");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("(x12.delimiters.in_data: reject)"), std::string::npos) << c.errors[0];
}

}  // namespace
