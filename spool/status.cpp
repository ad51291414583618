#include "spool/status.h"

namespace spool {

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kNotFound: return "not found";
    case Code::kIllegalTransition: return "illegal transition";
    case Code::kRejected: return "rejected";
    case Code::kLeaseLost: return "lease lost";
    case Code::kBusy: return "database busy";
    case Code::kNoSpace: return "no space";
    case Code::kIoError: return "I/O error";
    case Code::kCorruption: return "corruption";
    case Code::kSchema: return "schema";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

}  // namespace spool
