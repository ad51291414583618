// The CloudEvents 1.0 envelope of every canonical message (DESIGN.md, "Canonical messages"):
// specversion, id, source "edigate/<partner>", type, time, datacontenttype,
// idempotencykey, edisource {file, sha256, isa13, gs06, st02} and data.
#pragma once

#include <string>
#include <string_view>

#include "gateway/canonical/json_text.h"

namespace gateway::canonical {

struct EdiSource {
  std::string file;    // the file's name as received
  std::string sha256;  // of the whole file
  std::string isa13, gs06, st02;  // empty for XML documents
};

struct Envelope {
  std::string_view id;  // empty: derived from the idempotency key (EventIdFromKey)
  std::string_view partner;
  std::string_view type;
  std::string_view time;  // RFC 3339; empty: left out
  std::string_view idempotency_key;
  const EdiSource* source = nullptr;  // null: left out (outbound orders)
};

// Appends one CloudEvent (no trailing newline) around `data_json`, a JSON object's text.
void AppendCloudEvent(std::string& out, const Envelope& envelope, std::string_view data_json);

// The same in two parts, for writers that produce the data in place: AppendCloudEventHead
// writes everything up to and including `"data":`; the caller appends the data object and
// then a closing '}'.
void AppendCloudEventHead(std::string& out, const Envelope& envelope);
void AppendCloudEventHead(JsonBuffer& out, const Envelope& envelope);

// A deterministic event id for the offline commands: a UUID (version 5 layout) made from the
// SHA-256 of the idempotency key, so that re-mapping the same file yields the same ids.
std::string EventIdFromKey(std::string_view key);

}  // namespace gateway::canonical
