#include "gateway/status.h"

namespace gateway {

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kNotFound: return "not found";
    case Code::kAlreadyExists: return "already exists";
    case Code::kPermissionDenied: return "permission denied";
    case Code::kUnavailable: return "unavailable";
    case Code::kTimeout: return "timeout";
    case Code::kHostKeyRejected: return "host key rejected";
    case Code::kAuthFailed: return "authentication failed";
    case Code::kDataLoss: return "data loss";
    case Code::kIoError: return "I/O error";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

}  // namespace gateway
