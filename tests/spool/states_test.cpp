// Every state transition of both message machines and the file machine, checked against the
// expected edge lists: each listed edge is legal, every other pair is illegal.
#include "spool/states.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

namespace spool {
namespace {

using M = MessageState;
constexpr M kAll[] = {M::kReceived, M::kParsed,   M::kMapped,   M::kDelivering,   M::kDelivered,
                      M::kRetryWait, M::kDead,    M::kQuarantined, M::kDuplicate, M::kAccepted,
                      M::kRendered, M::kUploaded, M::kAcknowledged, M::kRejected, M::kFulfilled};

TEST(StatesTest, InboundMachineIsExactlyTheDocumentedEdges) {
  const std::set<std::pair<M, M>> expected = {
      {M::kReceived, M::kParsed},      {M::kReceived, M::kQuarantined},
      {M::kReceived, M::kDuplicate},   {M::kParsed, M::kMapped},
      {M::kParsed, M::kQuarantined},   {M::kMapped, M::kDelivering},
      {M::kDelivering, M::kDelivered}, {M::kDelivering, M::kRetryWait},
      {M::kDelivering, M::kDead},      {M::kRetryWait, M::kDelivering},
      {M::kRetryWait, M::kDead},
  };
  for (M from : kAll) {
    for (M to : kAll) {
      EXPECT_EQ(IsLegalTransition(Direction::kInbound, from, to), expected.count({from, to}) == 1)
          << Name(from) << " -> " << Name(to);
    }
  }
}

TEST(StatesTest, OutboundMachineIsExactlyTheDocumentedEdges) {
  const std::set<std::pair<M, M>> expected = {
      {M::kAccepted, M::kRendered},     {M::kAccepted, M::kDead},
      {M::kRendered, M::kUploaded},     {M::kRendered, M::kDead},
      {M::kUploaded, M::kAcknowledged}, {M::kUploaded, M::kRejected},
      {M::kUploaded, M::kFulfilled},    {M::kAcknowledged, M::kFulfilled},
  };
  for (M from : kAll) {
    for (M to : kAll) {
      EXPECT_EQ(IsLegalTransition(Direction::kOutbound, from, to), expected.count({from, to}) == 1)
          << Name(from) << " -> " << Name(to);
    }
  }
}

TEST(StatesTest, FileMachine) {
  using F = FileState;
  const F all[] = {F::kReceived, F::kParsed, F::kQuarantined, F::kDuplicate};
  for (F from : all) {
    for (F to : all) {
      const bool expected = from == F::kReceived && (to == F::kParsed || to == F::kQuarantined);
      EXPECT_EQ(IsLegalTransition(from, to), expected) << Name(from) << " -> " << Name(to);
    }
  }
  EXPECT_EQ(ReplayTarget(ReplayMode::kReprocess, F::kParsed), F::kReceived);
  EXPECT_EQ(ReplayTarget(ReplayMode::kReprocess, F::kDuplicate), std::nullopt);
  EXPECT_EQ(ReplayTarget(ReplayMode::kRedeliver, F::kParsed), std::nullopt);
  EXPECT_EQ(ReleaseTarget(F::kQuarantined), F::kReceived);
  EXPECT_EQ(ReleaseTarget(F::kParsed), std::nullopt);
}

TEST(StatesTest, NamesRoundTrip) {
  for (M s : kAll) EXPECT_EQ(ParseMessageState(Name(s)), s);
  EXPECT_EQ(ParseMessageState("nope"), std::nullopt);
  for (ReplayMode m : {ReplayMode::kRedeliver, ReplayMode::kReprocess, ReplayMode::kResend,
                       ReplayMode::kRebuild}) {
    EXPECT_EQ(ParseReplayMode(Name(m)), m);
  }
}

TEST(StatesTest, ReplayTargets) {
  // redeliver: inbound delivered/dead/retry_wait -> mapped; nothing outbound.
  for (M s : kAll) {
    const bool ok = s == M::kDelivered || s == M::kDead || s == M::kRetryWait;
    EXPECT_EQ(ReplayTarget(Direction::kInbound, ReplayMode::kRedeliver, s),
              ok ? std::optional(M::kMapped) : std::nullopt)
        << Name(s);
    EXPECT_EQ(ReplayTarget(Direction::kOutbound, ReplayMode::kRedeliver, s), std::nullopt);
  }
  EXPECT_EQ(ReplayTarget(Direction::kInbound, ReplayMode::kReprocess, M::kDelivered), M::kReceived);
  EXPECT_EQ(ReplayTarget(Direction::kInbound, ReplayMode::kReprocess, M::kDuplicate), std::nullopt);
  EXPECT_EQ(ReplayTarget(Direction::kInbound, ReplayMode::kReprocess, M::kDelivering), std::nullopt);
  EXPECT_EQ(ReplayTarget(Direction::kOutbound, ReplayMode::kResend, M::kUploaded), M::kRendered);
  EXPECT_EQ(ReplayTarget(Direction::kOutbound, ReplayMode::kResend, M::kAccepted), std::nullopt);
  EXPECT_EQ(ReplayTarget(Direction::kOutbound, ReplayMode::kRebuild, M::kFulfilled), M::kAccepted);
  EXPECT_EQ(ReplayTarget(Direction::kInbound, ReplayMode::kRebuild, M::kDelivered), std::nullopt);
}

TEST(StatesTest, ReleaseTargets) {
  EXPECT_EQ(ReleaseTarget(Direction::kInbound, M::kDead, false), M::kRetryWait);
  EXPECT_EQ(ReleaseTarget(Direction::kInbound, M::kQuarantined, false), M::kReceived);
  EXPECT_EQ(ReleaseTarget(Direction::kOutbound, M::kDead, true), M::kRendered);
  EXPECT_EQ(ReleaseTarget(Direction::kOutbound, M::kDead, false), M::kAccepted);
  EXPECT_EQ(ReleaseTarget(Direction::kInbound, M::kDelivered, false), std::nullopt);
}

TEST(StatesTest, FinishedStatesAreTheOnlyPurgeable) {
  EXPECT_TRUE(IsFinished(Direction::kInbound, M::kDelivered, true));
  EXPECT_TRUE(IsFinished(Direction::kInbound, M::kDuplicate, true));
  EXPECT_FALSE(IsFinished(Direction::kInbound, M::kDead, true));
  EXPECT_FALSE(IsFinished(Direction::kInbound, M::kRetryWait, true));
  EXPECT_TRUE(IsFinished(Direction::kOutbound, M::kFulfilled, true));
  EXPECT_FALSE(IsFinished(Direction::kOutbound, M::kUploaded, true));
  EXPECT_TRUE(IsFinished(Direction::kOutbound, M::kUploaded, false));
}

}  // namespace
}  // namespace spool
