#include "spool/idempotency_key.h"

#include <gtest/gtest.h>

namespace spool {
namespace {

TEST(IdempotencyKeyTest, BusinessKeyMatchesTheDesignExample) {
  EXPECT_EQ(MakeIdempotencyKey("acme", "945", {"SO123", "BOL9"}, {"000000001", "1", "0001"}),
            "acme:945:SO123:BOL9");
}

TEST(IdempotencyKeyTest, ControlNumbersWhenThereIsNoBusinessKey) {
  EXPECT_EQ(MakeIdempotencyKey("acme", "997", {}, {"000000042", "7", "0001"}),
            "acme:997:ctl:000000042:7:0001");
}

TEST(IdempotencyKeyTest, DeterministicAndUnambiguous) {
  const ControlNumbers cn{"1", "2", "3"};
  EXPECT_EQ(MakeIdempotencyKey("p", "945", {"a", "b"}, cn), MakeIdempotencyKey("p", "945", {"a", "b"}, cn));
  // A ':' inside a part cannot make two different keys equal.
  EXPECT_NE(MakeIdempotencyKey("p", "945", {"a:b"}, cn), MakeIdempotencyKey("p", "945", {"a", "b"}, cn));
  EXPECT_EQ(MakeIdempotencyKey("p", "945", {"a:b%"}, cn), "p:945:a%3Ab%25");
  // The control numbers do not change a business-keyed key (re-sent files keep their keys).
  EXPECT_EQ(MakeIdempotencyKey("p", "945", {"a"}, {"9", "9", "9"}), MakeIdempotencyKey("p", "945", {"a"}, cn));
}

}  // namespace
}  // namespace spool
