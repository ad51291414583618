// 997/TA1 generation and reading: what a partner receives, and what we learn from theirs.
#include <gtest/gtest.h>

#include "edi/ack.h"
#include "edi/byte_source.h"
#include "tests/support/x12_text.h"

namespace {

using x12test::Interchange;
using x12test::IsaFields;
using x12test::Set945;

std::vector<edi::Acknowledgment> Acks(const std::string& text, edi::AckOptions options = {}) {
  edi::AckBuilder builder(std::move(options));
  edi::MemorySource src(text);
  edi::Validate(src, builder);
  return builder.Take();
}

edi::AckDocument Read(const std::string& text, x12test::Collected* collected = nullptr) {
  edi::AckReader reader;
  edi::MemorySource src(text);
  edi::Validate(src, reader);
  if (collected != nullptr) *collected = x12test::ValidateText(text);
  return reader.document();
}

std::string PartialFile() {
  std::string bad = Set945("0102", "ORD2", "SHP2");
  size_t at = bad.find("W27*M*");
  bad.replace(at, 6, "W27**");
  return Interchange({Set945("0101", "ORD1", "SHP1"), bad});
}

TEST(AckBuilder, PartialAcceptanceGivesAk9PWithDetail) {
  auto acks = Acks(PartialFile());
  ASSERT_EQ(acks.size(), 1u);
  const std::string& b = acks[0].bytes;
  EXPECT_TRUE(acks[0].status.ok());
  EXPECT_NE(b.find("AK1*SW*41~"), std::string::npos) << b;
  EXPECT_NE(b.find("AK2*945*0101~\nAK5*A~"), std::string::npos) << b;
  EXPECT_NE(b.find("AK2*945*0102~\nAK3*W27*7**8~\nAK4*1*91*1~\nAK5*R*5~"), std::string::npos) << b;
  EXPECT_NE(b.find("AK9*P*2*2*1~"), std::string::npos) << b;
  EXPECT_EQ(b.find("TA1*"), std::string::npos) << "no TA1 unless asked or rejected";
}

TEST(AckBuilder, AddressedBackToTheSender) {
  auto acks = Acks(PartialFile());
  ASSERT_EQ(acks.size(), 1u);
  const std::string& b = acks[0].bytes;
  // ISA06/ISA08 and GS02/GS03 swapped relative to the inbound interchange.
  EXPECT_EQ(b.substr(32, 37), "ZZ*OMSGATEWAY     *ZZ*RENO3PL        ");
  EXPECT_NE(b.find("GS*FA*OMSGATEWAY*RENO3PL*"), std::string::npos) << b;
  EXPECT_EQ(acks[0].to, "ZZ:RENO3PL");
}

TEST(AckBuilder, SenderOverrideAndControlNumbersFromTheCaller) {
  edi::AckOptions o;
  o.sender_qualifier = "01";
  o.sender_id = "123456789";
  o.envelope = [](const edi::InterchangeInfo&) {
    edi::AckEnvelope e;
    e.interchange_control = 777;
    e.group_control = 55;
    e.set_control = 9;
    e.date = "20261127";
    e.time = "0930";
    return e;
  };
  auto acks = Acks(PartialFile(), o);
  ASSERT_EQ(acks.size(), 1u);
  const std::string& b = acks[0].bytes;
  EXPECT_NE(b.find("*01*123456789      *ZZ*RENO3PL        *261127*0930*"), std::string::npos) << b;
  EXPECT_NE(b.find("*000000777*"), std::string::npos);
  EXPECT_NE(b.find("GS*FA*OMSGATEWAY*RENO3PL*20261127*0930*55*X*004010~"), std::string::npos) << b;
  EXPECT_NE(b.find("ST*997*0009~"), std::string::npos);
  EXPECT_NE(b.find("IEA*1*000000777~"), std::string::npos);
}

TEST(AckBuilder, OwnAcknowledgmentValidatesAsA997AndReadsBack) {
  auto acks = Acks(PartialFile());
  ASSERT_EQ(acks.size(), 1u);
  x12test::Collected c;
  edi::AckDocument doc = Read(acks[0].bytes, &c);
  ASSERT_EQ(c.sets.size(), 1u);
  EXPECT_EQ(c.sets[0].status, 'A') << (c.sets[0].errors.empty() ? "" : c.sets[0].errors[0].Describe());
  EXPECT_TRUE(c.summary.ok);
  ASSERT_EQ(doc.groups.size(), 1u);
  const edi::GroupAck& g = doc.groups[0];
  EXPECT_EQ(g.functional_id, "SW");
  EXPECT_EQ(g.group_control, "41");
  EXPECT_EQ(g.status, 'P');
  EXPECT_EQ(g.StatusOf("0101"), 'A');
  EXPECT_EQ(g.StatusOf("0102"), 'R');
  ASSERT_EQ(g.sets.size(), 2u);
  ASSERT_EQ(g.sets[1].notes.size(), 1u);
  EXPECT_EQ(g.sets[1].notes[0].segment, "W27");
  ASSERT_EQ(g.sets[1].notes[0].elements.size(), 1u);
  EXPECT_EQ(g.sets[1].notes[0].elements[0].code, "1");
}

TEST(AckBuilder, Ta1WhenRequested) {
  IsaFields f;
  f.ack_requested = "1";
  auto acks = Acks(Interchange({Set945("0101", "A", "B")}, "SW", f));
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_TRUE(acks[0].ta1);
  const std::string& b = acks[0].bytes;
  const size_t ta1 = b.find("TA1*000004001*261120*1432*A*000~");
  ASSERT_NE(ta1, std::string::npos) << b;
  EXPECT_LT(ta1, b.find("GS*")) << "the TA1 goes between ISA and the first GS";
}

TEST(AckBuilder, Ta1WhenTheInterchangeIsRejected) {
  std::string text = Interchange({Set945("0101", "A", "B")});
  text.replace(text.find("IEA*1*000004001"), 15, "IEA*1*000004999");
  auto acks = Acks(text);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_NE(acks[0].bytes.find("TA1*000004001*261120*1432*R*001~"), std::string::npos) << acks[0].bytes;
}

TEST(AckBuilder, NeverAcknowledgesAcknowledgments) {
  auto acks = Acks(PartialFile());
  ASSERT_EQ(acks.size(), 1u);
  // Feeding our own 997 back produces nothing, even with ISA14 = 1.
  std::string ack = acks[0].bytes;
  ack[100] = '1';
  EXPECT_TRUE(Acks(ack).empty());
  // Nor does an interchange of TA1s only.
  std::string ta1_only = x12test::Isa() + "~\nTA1*000000123*261120*1200*A*000~\nIEA*0*000004001~\n";
  auto c = x12test::ValidateText(ta1_only);
  EXPECT_TRUE(c.summary.ok);
  EXPECT_TRUE(Acks(ta1_only).empty());
  edi::AckDocument doc = Read(ta1_only);
  ASSERT_EQ(doc.interchanges.size(), 1u);
  EXPECT_EQ(doc.interchanges[0].control, "000000123");
  EXPECT_EQ(doc.interchanges[0].status, 'A');
}

TEST(AckBuilder, VersionFollowsTheInboundGroup) {
  IsaFields f;
  f.version = "00501";
  f.isa11 = "^";
  auto acks = Acks(Interchange({Set945("0101", "A", "B")}, "SW", f, "41", "005010"));
  ASSERT_EQ(acks.size(), 1u);
  const std::string& b = acks[0].bytes;
  EXPECT_NE(b.find("*^*00501*"), std::string::npos) << b;
  EXPECT_NE(b.find("*X*005010~"), std::string::npos) << b;
  EXPECT_NE(b.find("AK1*SW*41*005010~"), std::string::npos) << b;
}

TEST(AckBuilder, MissingTrailersLikePyx12) {
  std::string text = x12test::Isa() + "~\nGS*SW*RENO3PL*OMSGATEWAY*20261120*1432*17*X*004010~\nST*945*11280001~\n";
  auto acks = Acks(text);
  ASSERT_EQ(acks.size(), 1u);
  const std::string& b = acks[0].bytes;
  EXPECT_NE(b.find("AK2*945*11280001~\nAK5*R*2~\nAK9*R*0*0*0*3~"), std::string::npos) << b;
  EXPECT_NE(b.find("TA1*000004001*261120*1432*R*023~"), std::string::npos) << b;
}

TEST(AckBuilder, UsesTheInboundDelimiters) {
  std::string text = x12test::Redelimit(PartialFile(), '|', '^', "\x85", "\r\n");
  auto acks = Acks(text);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_NE(acks[0].bytes.find("AK9|P|2|2|1\x85\n"), std::string::npos) << acks[0].bytes;
  // and it reads back
  edi::AckDocument doc = Read(acks[0].bytes);
  ASSERT_EQ(doc.groups.size(), 1u);
  EXPECT_EQ(doc.groups[0].status, 'P');
}

TEST(AckReader, ImplicitAcceptanceWhenNoAk2Loops) {
  std::string ack = "ST*997*0001~\nAK1*OW*12~\nAK9*A*3*3*3~\nSE*4*0001~\n";
  edi::AckDocument doc = Read(Interchange({ack}, "FA"));
  ASSERT_EQ(doc.groups.size(), 1u);
  EXPECT_FALSE(doc.groups[0].malformed);
  EXPECT_EQ(doc.groups[0].StatusOf("5001"), 'A');
  std::string rejected = "ST*997*0001~\nAK1*OW*12~\nAK9*R*1*1*0*5~\nSE*4*0001~\n";
  doc = Read(Interchange({rejected}, "FA"));
  EXPECT_EQ(doc.groups.at(0).StatusOf("5001"), 'R');
  EXPECT_EQ(doc.groups[0].codes, (std::vector<std::string>{"5"}));
}

TEST(AckReader, A997WithoutAk1OrAk9IsMalformed) {
  edi::AckDocument doc = Read(Interchange({"ST*997*0001~\nSE*2*0001~\n"}, "FA"));
  ASSERT_EQ(doc.groups.size(), 1u);
  EXPECT_TRUE(doc.groups[0].malformed);
}

TEST(AckReader, ATa1ReadsAsTheInterchangeItAnswersWithItsNote) {
  // A partner's TA1 rejecting our interchange 123, and one accepting 124 with no TA104 note.
  const std::string text = x12test::Isa() + "~\nTA1*000000123*261120*1200*R*024~\nTA1*000000124*261120*1201*A*000~\n" +
                           "TA1*000000125*261120*1202~\nIEA*0*000004001~\n";
  const edi::AckDocument doc = Read(text);
  ASSERT_EQ(doc.interchanges.size(), 3u);
  EXPECT_EQ(doc.interchanges[0].control, "000000123");
  EXPECT_EQ(doc.interchanges[0].status, 'R');
  EXPECT_EQ(doc.interchanges[0].note_code, "024");
  EXPECT_EQ(doc.interchanges[0].date, "261120");
  EXPECT_EQ(doc.interchanges[1].status, 'A');
  EXPECT_EQ(doc.interchanges[1].time, "1201");
  EXPECT_EQ(doc.interchanges[2].status, 'R') << "no TA104 is no acceptance";
  EXPECT_EQ(edi::Ta1NoteText("024"), "Invalid Interchange Content (e.g., Invalid GS Segment)");
  EXPECT_EQ(edi::Ta1NoteText("000"), "No error");
  EXPECT_EQ(edi::Ta1NoteText("031"), "Invalid Grade of Service Code");
  EXPECT_EQ(edi::Ta1NoteText("032"), "");
  EXPECT_EQ(edi::Ta1NoteText("24"), "");
  EXPECT_EQ(edi::Ta1NoteText("0x4"), "");
}

}  // namespace
