// Errors as values for the spool: a Status (code + message with context) and a Result<T>.
// Nothing in spool/ throws; SQLite and errno codes become a Status where they are first seen.
#pragma once

#include "base/status.h"

namespace spool {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // the caller passed something malformed
  kNotFound,           // no such item
  kIllegalTransition,  // the state machine forbids this change
  kRejected,           // refused by policy (duplicate, replay needing --force, ...)
  kLeaseLost,          // the caller's lease expired or was taken over
  kBusy,               // the database stayed locked past the busy timeout; retry
  kNoSpace,            // disk or database full; retry after freeing space
  kIoError,            // read, write or fsync failed
  kCorruption,         // the database or a blob is damaged
  kSchema,             // the database was made by a newer edigate
  kInternal,
};

const char* CodeName(Code code);

using Status = base::BasicStatus<Code>;
template <typename T>
using Result = base::BasicResult<T, Code>;

}  // namespace spool

#define SPOOL_RETURN_IF_ERROR(expr) BASE_RETURN_IF_ERROR(expr)
#define SPOOL_ASSIGN_OR_RETURN(decl, expr) BASE_ASSIGN_OR_RETURN(decl, expr)
