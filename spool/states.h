// The explicit state machines of spooled items (DESIGN.md, "Spool"). Every change of state goes
// through IsLegalTransition (the daemon's steps) or ReplayTarget / ReleaseTarget (an operator's
// replay or release); anything else is kIllegalTransition, never a silent overwrite.
#pragma once

#include <optional>
#include <string_view>

namespace spool {

enum class ItemKind { kFile, kMessage };
enum class Direction { kInbound, kOutbound };

// A file: received (bytes durable) -> parsed (sets extracted) | quarantined (unreadable);
// duplicate when the file-level policy says skip or reject.
enum class FileState { kReceived, kParsed, kQuarantined, kDuplicate };

// Inbound (3PL -> OMS) and outbound (OMS -> 3PL) messages share one enum; each direction uses
// its own subset. kDead is reachable from both (retry window closed, permanent failure).
enum class MessageState {
  // inbound
  kReceived,     // set accepted from a file, not yet mapped
  kParsed,       // validated, ready for mapping
  kMapped,       // canonical event built, due for delivery
  kDelivering,   // a worker holds a lease and is posting it
  kDelivered,    // the OMS answered 2xx/409
  kRetryWait,    // transient failure, next_attempt_at says when
  kDead,         // retry window closed or permanent failure
  kQuarantined,  // mapping or validation failed; needs a human
  kDuplicate,    // business duplicate, recorded and skipped (or rejected)
  // outbound
  kAccepted,      // order taken from the OMS, not rendered yet
  kRendered,      // X12 bytes and control numbers fixed, due for upload
  kUploaded,      // on the partner's server, 997 expected by ack_due_at
  kAcknowledged,  // 997 accepted, 945 expected by ship_due_at
  kRejected,      // 997 rejected
  kFulfilled,     // 945 received
};

enum class ReplayMode { kRedeliver, kReprocess, kResend, kRebuild };

std::string_view Name(ItemKind kind);
std::string_view Name(Direction direction);
std::string_view Name(FileState state);
std::string_view Name(MessageState state);
std::string_view Name(ReplayMode mode);
std::optional<ItemKind> ParseItemKind(std::string_view name);
std::optional<Direction> ParseDirection(std::string_view name);
std::optional<FileState> ParseFileState(std::string_view name);
std::optional<MessageState> ParseMessageState(std::string_view name);
std::optional<ReplayMode> ParseReplayMode(std::string_view name);

// The daemon's forward steps.
bool IsLegalTransition(Direction direction, MessageState from, MessageState to);
bool IsLegalTransition(FileState from, FileState to);

// Where a replay moves a message from `from`, or nullopt when the mode does not apply.
// redeliver: inbound delivered/dead/retry_wait -> mapped (same idempotency key).
// reprocess: inbound anything but duplicate -> received (same bytes, same keys).
// resend:    outbound rendered..fulfilled, dead -> rendered (same bytes and control numbers).
// rebuild:   outbound rendered..fulfilled, dead -> accepted (new control numbers; needs force).
std::optional<MessageState> ReplayTarget(Direction direction, ReplayMode mode, MessageState from);
// A file replays only by reprocess: parsed/quarantined -> received.
std::optional<FileState> ReplayTarget(ReplayMode mode, FileState from);

// release: dead -> retry_wait (inbound) or rendered/accepted (outbound), due now;
// quarantined -> received. nullopt when the item is not dead or quarantined.
std::optional<MessageState> ReleaseTarget(Direction direction, MessageState from,
                                          bool has_rendered_bytes);
std::optional<FileState> ReleaseTarget(FileState from);

// States whose items a worker may claim when next_attempt_at is due.
bool IsWorkState(Direction direction, MessageState state);
bool IsWorkState(FileState state);
// Finished for good: the only states retention may purge.
bool IsFinished(Direction direction, MessageState state, bool expects_ack);

}  // namespace spool
