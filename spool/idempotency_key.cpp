#include "spool/idempotency_key.h"

namespace spool {

namespace {

void AppendPart(std::string& out, std::string_view part) {
  for (char c : part) {
    if (c == ':') {
      out += "%3A";
    } else if (c == '%') {
      out += "%25";
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string JoinBusinessKey(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ':';
    AppendPart(out, parts[i]);
  }
  return out;
}

std::string MakeIdempotencyKey(std::string_view partner, std::string_view type,
                               const std::vector<std::string>& business_key,
                               const ControlNumbers& cn) {
  std::string key;
  AppendPart(key, partner);
  key += ':';
  AppendPart(key, type);
  key += ':';
  if (!business_key.empty()) {
    key += JoinBusinessKey(business_key);
  } else {
    key += "ctl:";
    key += JoinBusinessKey({cn.isa13, cn.gs06, cn.st02});
  }
  return key;
}

}  // namespace spool
