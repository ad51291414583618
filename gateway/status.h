// Errors as values for gateway/: a Status (code + message with context) and a Result<T>.
// Nothing in gateway/ below the command layer throws; errno, libssh2 and SFTP codes become a
// Status where they are first seen, with the operation, host and path in the message
// ("sftp write edi@3pl.example:22 /out/x.edi: permission denied"). Secrets never go in a message.
#pragma once

#include "base/status.h"

namespace gateway {

enum class Code {
  kOk = 0,
  kInvalidArgument,   // the caller passed something malformed (bad path, bad settings)
  kNotFound,          // no such file or directory
  kAlreadyExists,     // the target exists and will not be overwritten
  kPermissionDenied,  // the peer or the file system refused access
  kUnavailable,       // not connected, connection refused or lost; reconnect and retry
  kTimeout,           // no progress within the timeout; the connection was dropped
  kHostKeyRejected,   // the server's host key is unknown or does not match: never retried blindly
  kAuthFailed,        // authentication refused, or no secret available to authenticate
  kDataLoss,          // bytes went missing (size after upload differs from bytes sent)
  kIoError,           // other read/write/fsync failures
  kInternal,
};

const char* CodeName(Code code);

using Status = base::BasicStatus<Code>;
template <typename T>
using Result = base::BasicResult<T, Code>;

}  // namespace gateway

#define GATEWAY_RETURN_IF_ERROR(expr) BASE_RETURN_IF_ERROR(expr)
#define GATEWAY_ASSIGN_OR_RETURN(decl, expr) BASE_ASSIGN_OR_RETURN(decl, expr)
