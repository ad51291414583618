// Envelope rules: every error carries the standard code a partner sees in the TA1 or 997.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/x12_text.h"

namespace {

using x12test::Collected;
using x12test::Interchange;
using x12test::Isa;
using x12test::IsaFields;
using x12test::Set945;
using x12test::ValidateText;

bool Has(const std::vector<std::string>& codes, const std::string& c) {
  return std::find(codes.begin(), codes.end(), c) != codes.end();
}

// Replaces the first occurrence of `from` by `to`.
std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(Envelope, CleanInterchangeIsAcceptedEverywhere) {
  Collected c = ValidateText(Interchange({Set945("0101", "ORD1", "SHP1"), Set945("0102", "ORD2", "SHP2")}));
  ASSERT_EQ(c.interchanges.size(), 1u);
  EXPECT_EQ(c.interchanges[0].ta1_code, "000");
  EXPECT_EQ(c.interchanges[0].ta1_status, 'A');
  EXPECT_EQ(c.interchanges[0].info.sender(), "ZZ:RENO3PL");
  EXPECT_EQ(c.interchanges[0].info.receiver(), "ZZ:OMSGATEWAY");
  ASSERT_EQ(c.groups.size(), 1u);
  EXPECT_EQ(c.groups[0].ak9, 'A');
  EXPECT_EQ(c.groups[0].received_sets, 2u);
  EXPECT_EQ(c.groups[0].accepted_sets, 2u);
  ASSERT_EQ(c.sets.size(), 2u);
  EXPECT_EQ(c.sets[1].info.control, "0102");
  EXPECT_TRUE(c.summary.ok);
}

TEST(Envelope, Se01CountMismatchRejectsOnlyThatSet) {
  std::string bad = Set945("0102", "ORD2", "SHP2");
  bad = bad.substr(0, bad.rfind("SE*")) + "SE*99*0102~\n";
  Collected c = ValidateText(Interchange({Set945("0101", "ORD1", "SHP1"), bad}));
  ASSERT_EQ(c.sets.size(), 2u);
  EXPECT_EQ(c.sets[0].status, 'A');
  EXPECT_EQ(c.sets[1].status, 'R');
  EXPECT_TRUE(Has(c.sets[1].ak5_codes, "4"));
  const edi::Error& e = c.sets[1].errors.at(0);
  EXPECT_EQ(e.segment, "SE");
  EXPECT_EQ(e.set_code, "4");
  EXPECT_NE(e.message.find("SE01 says 99"), std::string::npos) << e.message;
  EXPECT_EQ(c.groups[0].ak9, 'P');
  EXPECT_EQ(c.groups[0].accepted_sets, 1u);
}

TEST(Envelope, Se02MismatchIsCode3) {
  std::string set = Set945("0101", "ORD1", "SHP1");
  set = set.substr(0, set.rfind("*0101~")) + "*0199~\n";
  Collected c = ValidateText(Interchange({set}));
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_EQ(c.sets[0].status, 'R');
  EXPECT_TRUE(Has(c.sets[0].ak5_codes, "3"));
  EXPECT_EQ(c.groups[0].ak9, 'R');
}

TEST(Envelope, St02WithTrailingSpaceIsCodes3And7) {
  std::string set = Replace(Set945("0101", "ORD1", "SHP1"), "ST*945*0101~", "ST*945*0101 ~");
  Collected c = ValidateText(Interchange({set}));
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_EQ(c.sets[0].status, 'R');
  EXPECT_EQ(c.sets[0].ak5_codes, (std::vector<std::string>{"7", "3"}));
}

TEST(Envelope, DuplicateSt02InGroupIsCode23) {
  Collected c = ValidateText(Interchange({Set945("0101", "ORD1", "SHP1"), Set945("0101", "ORD2", "SHP2")}));
  ASSERT_EQ(c.sets.size(), 2u);
  EXPECT_EQ(c.sets[0].status, 'A');
  EXPECT_EQ(c.sets[1].status, 'R');
  EXPECT_TRUE(Has(c.sets[1].ak5_codes, "23"));
}

// ST02 values are compared as written: "101" and "0101" are two control numbers; digits or
// not, hundreds of sets or a few.
TEST(Envelope, DuplicateSt02IsFoundAsWritten) {
  std::vector<std::string> sets;
  for (int k = 0; k < 300; ++k) sets.push_back(Set945(std::to_string(1000 + k), "ORD", "SHP"));
  sets.push_back(Set945("0101", "ORD", "SHP"));
  sets.push_back(Set945("101", "ORD", "SHP"));
  sets.push_back(Set945("A101", "ORD", "SHP"));
  sets.push_back(Set945("1000", "ORD", "SHP"));  // the first one's
  sets.push_back(Set945("A101", "ORD", "SHP"));
  sets.push_back(Set945("1234567890123456", "ORD", "SHP"));
  sets.push_back(Set945("1234567890123456", "ORD", "SHP"));
  Collected c = ValidateText(Interchange(sets));
  ASSERT_EQ(c.sets.size(), 307u);
  std::vector<size_t> duplicates;
  for (size_t i = 0; i < c.sets.size(); ++i) {
    if (Has(c.sets[i].ak5_codes, "23")) duplicates.push_back(i);
  }
  EXPECT_EQ(duplicates, (std::vector<size_t>{303, 304, 306}));
}

TEST(Envelope, MissingSeGeIeaLikePyx12) {
  // The file ends after the ST: AK5 R 2, AK9 R 0 0 0 3 and a TA1 R 023.
  std::string text = Isa() + "~\nGS*SW*RENO3PL*OMSGATEWAY*20261120*1432*17*X*004010~\nST*945*11280001~\n";
  Collected c = ValidateText(text);
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_EQ(c.sets[0].status, 'R');
  EXPECT_EQ(c.sets[0].ak5_codes.front(), "2");
  ASSERT_EQ(c.groups.size(), 1u);
  EXPECT_EQ(c.groups[0].ak9, 'R');
  EXPECT_EQ(c.groups[0].received_sets, 0u);
  EXPECT_EQ(c.groups[0].accepted_sets, 0u);
  EXPECT_EQ(c.groups[0].ak9_codes, (std::vector<std::string>{"3"}));
  ASSERT_EQ(c.interchanges.size(), 1u);
  EXPECT_EQ(c.interchanges[0].ta1_code, "023");
  EXPECT_EQ(c.interchanges[0].ta1_status, 'R');
  EXPECT_FALSE(c.summary.ok);
}

TEST(Envelope, TrailerCountsAndControlsLikePyx12) {
  // SE01 wrong in the first set, GE02, IEA01 and IEA02 wrong: AK5 R 4 / AK5 A / AK9 R 2 2 1 4.
  std::string first = Set945("0001", "ORD1", "SHP1");
  first = first.substr(0, first.rfind("SE*")) + "SE*3*0001~\n";
  std::string text = Isa() + "~\nGS*SW*RENO3PL*OMSGATEWAY*20261120*1432*41*X*004010~\n" + first +
                     Set945("0002", "ORD2", "SHP2") + "GE*2*42~\nIEA*2*000004002~\n";
  Collected c = ValidateText(text);
  ASSERT_EQ(c.sets.size(), 2u);
  EXPECT_EQ(c.sets[0].status, 'R');
  EXPECT_EQ(c.sets[0].ak5_codes.front(), "4");
  EXPECT_EQ(c.sets[1].status, 'A');
  ASSERT_EQ(c.groups.size(), 1u);
  EXPECT_EQ(c.groups[0].ak9, 'R');
  EXPECT_EQ(c.groups[0].declared_sets, "2");
  EXPECT_EQ(c.groups[0].received_sets, 2u);
  EXPECT_EQ(c.groups[0].accepted_sets, 1u);
  EXPECT_EQ(c.groups[0].ak9_codes, (std::vector<std::string>{"4"}));
  EXPECT_EQ(c.interchanges[0].ta1_status, 'R');
  bool has021 = false, has001 = false;
  for (const auto& e : c.interchanges[0].errors) {
    has021 |= e.ta1_code == "021";
    has001 |= e.ta1_code == "001";
  }
  EXPECT_TRUE(has021);
  EXPECT_TRUE(has001);
}

TEST(Envelope, Ge01CountMismatchIsAk905Code5) {
  std::string text = Replace(Interchange({Set945("0101", "ORD1", "SHP1")}), "GE*1*41", "GE*2*41");
  Collected c = ValidateText(text);
  EXPECT_EQ(c.groups.at(0).ak9, 'R');
  EXPECT_EQ(c.groups.at(0).ak9_codes, (std::vector<std::string>{"5"}));
  EXPECT_EQ(c.sets.at(0).status, 'A');  // the set itself was fine
}

TEST(Envelope, MissingGeIsAk905Code3) {
  std::string text = Replace(Interchange({Set945("0101", "ORD1", "SHP1")}), "GE*1*41~\n", "");
  Collected c = ValidateText(text);
  EXPECT_EQ(c.groups.at(0).ak9, 'R');
  EXPECT_TRUE(Has(c.groups.at(0).ak9_codes, "3"));
  EXPECT_FALSE(c.groups.at(0).trailer_present);
}

TEST(Envelope, UnpaddedIea02MatchesNumericallyWithANotice) {
  std::string text = Replace(Interchange({Set945("0101", "ORD1", "SHP1")}), "IEA*1*000004001", "IEA*1*4001");
  Collected c = ValidateText(text);
  EXPECT_EQ(c.interchanges.at(0).ta1_code, "000");
  bool noted = false;
  for (const auto& e : c.interchanges[0].errors) noted |= e.warning && e.message.find("IEA02") != std::string::npos;
  EXPECT_TRUE(noted);
  EXPECT_TRUE(c.summary.ok);
}

TEST(Envelope, DuplicateIsa13FromSameSenderIsTa1Code025) {
  std::string one = Interchange({Set945("0101", "ORD1", "SHP1")});
  IsaFields other;
  other.sender = "OTHER3PL";
  std::string text = one + Interchange({Set945("0101", "ORD1", "SHP1")}, "SW", other) + one;
  Collected c = ValidateText(text);
  ASSERT_EQ(c.interchanges.size(), 3u);
  EXPECT_EQ(c.interchanges[0].duplicate_of, -1);
  EXPECT_EQ(c.interchanges[1].duplicate_of, -1);  // another sender may reuse the number
  EXPECT_EQ(c.interchanges[2].duplicate_of, 0);
  EXPECT_EQ(c.interchanges[2].ta1_code, "025");
  EXPECT_EQ(c.interchanges[2].ta1_status, 'R');
}

TEST(Envelope, DuplicateGs06InInterchangeRejectsTheGroup) {
  std::string g = "GS*SW*RENO3PL*OMSGATEWAY*20261120*1432*41*X*004010~\n" + Set945("0101", "A", "B") + "GE*1*41~\n";
  std::string text = Isa() + "~\n" + g + g + "IEA*2*000004001~\n";
  Collected c = ValidateText(text);
  ASSERT_EQ(c.groups.size(), 2u);
  EXPECT_EQ(c.groups[0].ak9, 'A');
  EXPECT_EQ(c.groups[1].ak9, 'R');
  EXPECT_NE(c.groups[1].errors.at(0).message.find("another group"), std::string::npos);
}

TEST(Envelope, InvalidIsaDateAndTimeGetTheirNoteCodes) {
  IsaFields f;
  f.time = "3339";
  Collected c = ValidateText(Interchange({Set945("0101", "A", "B")}, "SW", f));
  EXPECT_EQ(c.interchanges.at(0).ta1_code, "015");
  EXPECT_EQ(c.interchanges.at(0).ta1_status, 'R');
  f = IsaFields{};
  f.date = "261340";
  c = ValidateText(Interchange({Set945("0101", "A", "B")}, "SW", f));
  EXPECT_EQ(c.interchanges.at(0).ta1_code, "014");
}

TEST(Envelope, WrongGs01IsNotedByDefaultAndRejectedWhenStrict) {
  Collected c = ValidateText(Interchange({Set945("0101", "A", "B")}, "IN"));
  EXPECT_EQ(c.sets.at(0).status, 'E');
  EXPECT_TRUE(Has(c.sets[0].ak5_codes, "6"));
  EXPECT_EQ(c.groups.at(0).ak9, 'E');
  edi::ValidationOptions strict;
  strict.strict_functional_id = true;
  c = ValidateText(Interchange({Set945("0101", "A", "B")}, "IN"), strict);
  EXPECT_EQ(c.sets.at(0).status, 'R');
}

TEST(Envelope, UnsupportedTransactionSetIsAk502Code1) {
  std::string set = "ST*810*0001~\nBIG*20261120*INV1~\nSE*3*0001~\n";
  Collected c = ValidateText(Interchange({set}, "IN"));
  EXPECT_EQ(c.sets.at(0).status, 'R');
  EXPECT_EQ(c.sets[0].ak5_codes.front(), "1");
}

TEST(Envelope, SetsOfAVersionWithoutSchemaGetEnvelopeChecksOnly) {
  Collected c = ValidateText(Interchange({Set945("0101", "A", "B")}, "SW", {}, "41", "005010"));
  EXPECT_EQ(c.sets.at(0).status, 'A');
  EXPECT_FALSE(c.sets[0].has_schema);
  ASSERT_FALSE(c.sets[0].errors.empty());
  EXPECT_TRUE(c.sets[0].errors[0].warning);
}

TEST(Envelope, OneBadSetDoesNotBlockTheOthers) {
  std::string bad = Replace(Set945("0102", "ORD2", "SHP2"), "W06*N*", "W06*Q*");
  Collected c = ValidateText(Interchange({Set945("0101", "A", "B"), bad, Set945("0103", "C", "D")}));
  ASSERT_EQ(c.sets.size(), 3u);
  EXPECT_EQ(c.sets[0].status, 'A');
  EXPECT_EQ(c.sets[1].status, 'R');
  EXPECT_EQ(c.sets[2].status, 'A');
  EXPECT_EQ(c.groups[0].ak9, 'P');
  EXPECT_EQ(c.groups[0].accepted_sets, 2u);
}

TEST(Envelope, NotX12SaysWhatWasFound) {
  Collected c = ValidateText("<?xml version=\"1.0\"?><ShipNotice/>");
  EXPECT_TRUE(c.summary.not_x12);
  EXPECT_FALSE(c.summary.ok);
  ASSERT_EQ(c.file_errors.size(), 1u);
  EXPECT_NE(c.file_errors[0].message.find("<?xml"), std::string::npos) << c.file_errors[0].message;
}

TEST(Envelope, SetLargerThanTheCapIsRejectedAndNotPassedOn) {
  edi::ValidationOptions o;
  o.max_set_bytes = 400;
  Collected c = ValidateText(Interchange({Set945("0101", "A", "B", 20), Set945("0102", "C", "D", 1)}), o);
  ASSERT_EQ(c.sets.size(), 2u);
  EXPECT_EQ(c.sets[0].status, 'R');
  EXPECT_NE(c.sets[0].errors.at(0).message.find("larger than 400"), std::string::npos);
  EXPECT_EQ(c.sets[1].status, 'A');
}

TEST(Envelope, ErrorsCarryByteOffsetAndPosition) {
  std::string set = Replace(Set945("0101", "A", "B"), "W27*M*", "W27**");
  std::string text = Interchange({set});
  Collected c = ValidateText(text);
  ASSERT_FALSE(c.sets.at(0).errors.empty());
  const edi::Error& e = c.sets[0].errors[0];
  EXPECT_EQ(e.segment, "W27");
  EXPECT_EQ(e.segment_position, 7u);
  EXPECT_EQ(e.element, 1);
  EXPECT_EQ(e.element_code, "1");
  EXPECT_EQ(e.segment_code, "8");
  EXPECT_EQ(text.substr(e.offset, 5), "W27**");
}

}  // namespace
