// Partner profiles (partners/<id>.yaml): who a trading partner is in the envelopes, which
// mapping serves each transaction set and direction, the partner's code tables, duplicate
// policies, deadlines and transport settings. The file format is documented in
// docs/mapping-guide.md ("The partner profile"). Loading validates everything; an error names
// the file, the line and the key ("partners/acme.yaml:14: x12.ours.qualifier: ...").
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edi/delimiters.h"
#include "gateway/status.h"

namespace gateway::partners {

// A code table: partner code -> canonical code, e.g. uom: {CS: CA, EA: EA}. Lookups by the
// partner's code (inbound) or, reversed, by the canonical code (outbound: the first partner
// code listed for it).
struct CodeTable {
  std::string name;
  std::vector<std::pair<std::string, std::string>> entries;  // in file order
  const std::string* Find(std::string_view partner_code) const;
  const std::string* FindReverse(std::string_view canonical_code) const;
};

struct PartyIds {
  std::string qualifier;  // ISA05/ISA07
  std::string id;         // ISA06/ISA08
  std::string gs;         // GS02/GS03 application code
};

enum class DuplicateAction { kReject, kWarn, kAllow };

struct DuplicatePolicies {
  DuplicateAction file = DuplicateAction::kReject;         // same partner + sha256
  DuplicateAction interchange = DuplicateAction::kReject;  // same sender + ISA13 ...
  std::chrono::hours interchange_window{24 * 90};          // ... within this window
  DuplicateAction business = DuplicateAction::kWarn;       // same type + business key
};

struct MappingRef {
  std::string key;        // transaction set ("945") or XML document name
  std::string direction;  // "inbound" or "outbound"
  std::string path;       // resolved file path
  int line = 0;           // where the profile names it
};

struct PartnerProfile {
  std::string file;  // the YAML it was loaded from
  std::string id;
  std::string name;
  std::string format = "x12";  // "x12" or "xml"
  PartyIds ours, theirs;
  std::string x12_version = "004010";  // GS08
  std::string isa_version = "00401";   // ISA12
  edi::Delimiters delimiters;          // outbound
  std::string segment_suffix = "\n";   // after each outbound terminator
  // What an outbound value's delimiter or control character becomes (X12 has no escape):
  // this character, or nullopt ("reject") to refuse the order.
  std::optional<char> replace_in_data = ' ';
  // x12.charset: "ascii" (outbound free text transliterated to ASCII) or "utf8" (as it is).
  std::string charset = "ascii";
  char usage = 'P';                    // ISA15
  bool ack_requested = false;          // ISA14 of what we send
  std::vector<MappingRef> mappings;
  std::vector<CodeTable> code_tables;
  DuplicatePolicies duplicates;
  std::chrono::seconds ack_deadline{4 * 3600};    // 997 for our 940s
  std::chrono::seconds ship_deadline{48 * 3600};  // 945 after an accepted 940
  // Transport settings for the daemon, flattened ("kind", "sftp.host", "inbound.dir" ...).
  std::map<std::string, std::string> transport;
  std::map<std::string, int> transport_lines;  // the line of each transport key, for errors
  // Warehouse codes (fulfillment_order.warehouse) this partner operates; an order goes to the
  // partner listing its warehouse (or whose id is the warehouse code).
  std::vector<std::string> warehouses;

  const CodeTable* FindTable(std::string_view name) const;
  // The mapping serving `key` ("945") in `direction`, or nullptr.
  const MappingRef* FindMapping(std::string_view key, std::string_view direction) const;
};

// Loads and validates a profile. Mapping file names are resolved against `mappings_dir`
// (the config's; when empty, "<profile dir>/../mappings").
Result<PartnerProfile> LoadPartnerProfile(const std::string& path, const std::string& mappings_dir = "");

// "4h", "90m", "2d", "3600s" -> seconds; false when malformed.
bool ParseDuration(std::string_view text, std::chrono::seconds* out);

}  // namespace gateway::partners
