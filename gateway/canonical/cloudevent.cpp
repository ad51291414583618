#include "gateway/canonical/cloudevent.h"

#include <openssl/sha.h>

#include "gateway/canonical/json_text.h"

namespace gateway::canonical {

std::string EventIdFromKey(std::string_view key) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), d);
  d[6] = static_cast<unsigned char>((d[6] & 0x0F) | 0x50);  // version 5 layout
  d[8] = static_cast<unsigned char>((d[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id.push_back('-');
    id.push_back(kHex[d[i] >> 4]);
    id.push_back(kHex[d[i] & 15]);
  }
  return id;
}

void AppendCloudEvent(std::string& out, const Envelope& e, std::string_view data_json) {
  AppendCloudEventHead(out, e);
  out += data_json;
  out += '}';
}

void AppendCloudEventHead(std::string& out, const Envelope& e) {
  out += "{\"specversion\":\"1.0\",\"id\":";
  AppendJsonString(out, e.id.empty() ? EventIdFromKey(e.idempotency_key) : std::string(e.id));
  // Partner ids are [A-Za-z0-9._-] (checked when a profile is loaded): nothing to escape.
  out += ",\"source\":\"edigate/";
  out += e.partner;
  out += '"';
  out += ",\"type\":";
  AppendJsonString(out, e.type);
  if (!e.time.empty()) {
    out += ",\"time\":";
    AppendJsonString(out, e.time);
  }
  out += ",\"datacontenttype\":\"application/json\",\"idempotencykey\":";
  AppendJsonString(out, e.idempotency_key);
  if (e.source != nullptr) {
    out += ",\"edisource\":{\"file\":";
    AppendJsonString(out, e.source->file);
    out += ",\"sha256\":";
    AppendJsonString(out, e.source->sha256);
    for (const auto& [k, v] : {std::pair<const char*, const std::string*>{"isa13", &e.source->isa13},
                               {"gs06", &e.source->gs06},
                               {"st02", &e.source->st02}}) {
      if (v->empty()) continue;
      out += ",\"";
      out += k;
      out += "\":";
      AppendJsonString(out, *v);
    }
    out += '}';
  }
  out += ",\"data\":";
}

}  // namespace gateway::canonical
