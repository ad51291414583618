#include "spool/states.h"

#include <array>
#include <utility>

namespace spool {

namespace {

using M = MessageState;
using F = FileState;

constexpr std::array<std::pair<M, std::string_view>, 15> kMessageNames{{
    {M::kReceived, "received"},   {M::kParsed, "parsed"},         {M::kMapped, "mapped"},
    {M::kDelivering, "delivering"}, {M::kDelivered, "delivered"}, {M::kRetryWait, "retry_wait"},
    {M::kDead, "dead"},           {M::kQuarantined, "quarantined"}, {M::kDuplicate, "duplicate"},
    {M::kAccepted, "accepted"},   {M::kRendered, "rendered"},     {M::kUploaded, "uploaded"},
    {M::kAcknowledged, "acknowledged"}, {M::kRejected, "rejected"}, {M::kFulfilled, "fulfilled"},
}};

constexpr std::array<std::pair<F, std::string_view>, 4> kFileNames{{
    {F::kReceived, "received"},
    {F::kParsed, "parsed"},
    {F::kQuarantined, "quarantined"},
    {F::kDuplicate, "duplicate"},
}};

struct Edge {
  M from;
  M to;
};

// The inbound machine (DESIGN.md data flow, 3PL -> OMS).
constexpr Edge kInbound[] = {
    {M::kReceived, M::kParsed},      {M::kReceived, M::kQuarantined},
    {M::kReceived, M::kDuplicate},   {M::kParsed, M::kMapped},
    {M::kParsed, M::kQuarantined},   {M::kMapped, M::kDelivering},
    {M::kDelivering, M::kDelivered}, {M::kDelivering, M::kRetryWait},
    {M::kDelivering, M::kDead},      {M::kRetryWait, M::kDelivering},
    {M::kRetryWait, M::kDead},
};

// The outbound machine (OMS -> 3PL). A 945 can arrive before the 997 (uploaded -> fulfilled);
// a 997 can reject a set that was already shipped against (acknowledged -> rejected never).
constexpr Edge kOutbound[] = {
    {M::kAccepted, M::kRendered},      {M::kAccepted, M::kDead},
    {M::kRendered, M::kUploaded},      {M::kRendered, M::kDead},
    {M::kUploaded, M::kAcknowledged},  {M::kUploaded, M::kRejected},
    {M::kUploaded, M::kFulfilled},     {M::kAcknowledged, M::kFulfilled},
};

template <typename E, std::size_t N>
std::string_view Lookup(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> Find(const std::array<std::pair<E, std::string_view>, N>& table,
                      std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

bool IsOutboundShippedState(M s) {
  return s == M::kRendered || s == M::kUploaded || s == M::kAcknowledged || s == M::kRejected ||
         s == M::kFulfilled || s == M::kDead;
}

}  // namespace

std::string_view Name(ItemKind kind) { return kind == ItemKind::kFile ? "file" : "message"; }
std::string_view Name(Direction d) { return d == Direction::kInbound ? "inbound" : "outbound"; }
std::string_view Name(FileState state) { return Lookup(kFileNames, state); }
std::string_view Name(MessageState state) { return Lookup(kMessageNames, state); }
std::string_view Name(ReplayMode mode) {
  switch (mode) {
    case ReplayMode::kRedeliver: return "redeliver";
    case ReplayMode::kReprocess: return "reprocess";
    case ReplayMode::kResend: return "resend";
    case ReplayMode::kRebuild: return "rebuild";
  }
  return "?";
}

std::optional<ItemKind> ParseItemKind(std::string_view name) {
  if (name == "file") return ItemKind::kFile;
  if (name == "message") return ItemKind::kMessage;
  return std::nullopt;
}
std::optional<Direction> ParseDirection(std::string_view name) {
  if (name == "inbound") return Direction::kInbound;
  if (name == "outbound") return Direction::kOutbound;
  return std::nullopt;
}
std::optional<FileState> ParseFileState(std::string_view name) { return Find(kFileNames, name); }
std::optional<MessageState> ParseMessageState(std::string_view name) {
  return Find(kMessageNames, name);
}
std::optional<ReplayMode> ParseReplayMode(std::string_view name) {
  for (ReplayMode m : {ReplayMode::kRedeliver, ReplayMode::kReprocess, ReplayMode::kResend,
                       ReplayMode::kRebuild}) {
    if (Name(m) == name) return m;
  }
  return std::nullopt;
}

bool IsLegalTransition(Direction direction, MessageState from, MessageState to) {
  if (direction == Direction::kInbound) {
    for (const Edge& e : kInbound) {
      if (e.from == from && e.to == to) return true;
    }
    return false;
  }
  for (const Edge& e : kOutbound) {
    if (e.from == from && e.to == to) return true;
  }
  return false;
}

bool IsLegalTransition(FileState from, FileState to) {
  return from == F::kReceived && (to == F::kParsed || to == F::kQuarantined);
}

std::optional<MessageState> ReplayTarget(Direction direction, ReplayMode mode, MessageState from) {
  if (direction == Direction::kInbound) {
    switch (mode) {
      case ReplayMode::kRedeliver:
        if (from == M::kDelivered || from == M::kDead || from == M::kRetryWait) return M::kMapped;
        return std::nullopt;
      case ReplayMode::kReprocess:
        if (from == M::kDuplicate || from == M::kReceived || from == M::kDelivering) {
          return std::nullopt;  // a duplicate stays linked; in-flight work is not yanked
        }
        return M::kReceived;
      default:
        return std::nullopt;
    }
  }
  switch (mode) {
    case ReplayMode::kResend:
      return IsOutboundShippedState(from) ? std::optional(M::kRendered) : std::nullopt;
    case ReplayMode::kRebuild:
      return IsOutboundShippedState(from) ? std::optional(M::kAccepted) : std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<FileState> ReplayTarget(ReplayMode mode, FileState from) {
  if (mode == ReplayMode::kReprocess && (from == F::kParsed || from == F::kQuarantined)) {
    return F::kReceived;
  }
  return std::nullopt;
}

std::optional<MessageState> ReleaseTarget(Direction direction, MessageState from,
                                          bool has_rendered_bytes) {
  if (from == M::kQuarantined && direction == Direction::kInbound) return M::kReceived;
  if (from != M::kDead) return std::nullopt;
  if (direction == Direction::kInbound) return M::kRetryWait;
  return has_rendered_bytes ? M::kRendered : M::kAccepted;
}

std::optional<FileState> ReleaseTarget(FileState from) {
  if (from == F::kQuarantined) return F::kReceived;
  return std::nullopt;
}

bool IsWorkState(Direction direction, MessageState state) {
  if (direction == Direction::kInbound) {
    return state == M::kReceived || state == M::kParsed || state == M::kMapped ||
           state == M::kDelivering || state == M::kRetryWait;
  }
  return state == M::kAccepted || state == M::kRendered;
}

bool IsWorkState(FileState state) { return state == F::kReceived; }

bool IsFinished(Direction direction, MessageState state, bool expects_ack) {
  if (state == M::kDuplicate) return true;
  if (direction == Direction::kInbound) return state == M::kDelivered;
  return state == M::kFulfilled || (!expects_ack && state == M::kUploaded);
}

}  // namespace spool
