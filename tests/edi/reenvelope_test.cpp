// Reenvelope: a 997 built before its control numbers exist gets them later, and stays valid.
#include <gtest/gtest.h>

#include "edi/ack.h"
#include "edi/byte_source.h"
#include "edi/reenvelope.h"
#include "tests/support/x12_text.h"

namespace {

using x12test::Interchange;
using x12test::Set945;

TEST(Reenvelope, RenumbersEveryEnvelopeAndKeepsTheRest) {
  edi::AckOptions options;
  options.envelope = [](const edi::InterchangeInfo&) { return edi::AckEnvelope{1, 1, 1, "20261127", "1200"}; };
  edi::AckBuilder builder(options);
  const std::string inbound = Interchange({Set945("0101", "ORD1", "SHP1"), Set945("0102", "ORD2", "SHP2")});
  edi::MemorySource src(inbound);
  edi::Validate(src, builder);
  auto acks = builder.Take();
  ASSERT_EQ(acks.size(), 1u);
  const std::string& placeholder = acks[0].bytes;

  auto renumbered = edi::Reenvelope(placeholder, edi::AckEnvelope{4711, 815, 7, "", ""}, "\n");
  ASSERT_TRUE(renumbered.ok()) << renumbered.error().message;
  const std::string& out = *renumbered;
  EXPECT_NE(out.find("*000004711*"), std::string::npos) << out;
  EXPECT_NE(out.find("IEA*1*000004711~"), std::string::npos) << out;
  EXPECT_NE(out.find("*815*X*"), std::string::npos) << out;  // GS06
  EXPECT_NE(out.find("GE*1*815~"), std::string::npos) << out;
  EXPECT_NE(out.find("ST*997*0007~"), std::string::npos) << out;
  EXPECT_EQ(out.find("000000001"), std::string::npos) << out;
  // Still a valid interchange: counts and envelope pairs agree.
  const x12test::Collected v = x12test::ValidateText(out);
  ASSERT_EQ(v.interchanges.size(), 1u);
  EXPECT_EQ(v.interchanges[0].ta1_status, 'A');
  ASSERT_EQ(v.groups.size(), 1u);
  EXPECT_EQ(v.groups[0].ak9, 'A');
  // The 997 still says what it said about the inbound sets.
  edi::AckReader reader;
  edi::MemorySource again(out);
  edi::Validate(again, reader);
  ASSERT_EQ(reader.document().groups.size(), 1u);
  EXPECT_EQ(reader.document().groups[0].StatusOf("0101"), 'A');
  EXPECT_EQ(reader.document().groups[0].StatusOf("0102"), 'A');
  EXPECT_EQ(reader.document().groups[0].ack_control, "0007");
}

TEST(Reenvelope, NotX12IsAnError) {
  auto r = edi::Reenvelope("hello", edi::AckEnvelope{}, "\n");
  EXPECT_FALSE(r.ok());
}

}  // namespace
