#include <gtest/gtest.h>

#include "tests/support/x12_text.h"

TEST(Smoke, Valid945IsAccepted) {
  auto c = x12test::ValidateText(x12test::Interchange({x12test::Set945("0101", "ORD1", "SHP1")}));
  ASSERT_EQ(c.sets.size(), 1u);
  for (auto& e : c.sets[0].errors) ADD_FAILURE() << e.Describe();
  EXPECT_EQ(c.sets[0].status, 'A');
  EXPECT_TRUE(c.summary.ok);
}
TEST(Smoke, Valid856IsAccepted) {
  auto c = x12test::ValidateText(x12test::Interchange({x12test::Set856("0001", "ASN1")}, "SH"));
  ASSERT_EQ(c.sets.size(), 1u);
  for (auto& e : c.sets[0].errors) ADD_FAILURE() << e.Describe();
  EXPECT_EQ(c.sets[0].status, 'A');
}
