// A compiled mapping: the YAML of mappings/*.yaml (docs/mapping-guide.md) turned once into a
// rule tree with pre-parsed paths and bound code tables, so that mapping a set only walks
// the tree. Inbound mappings (X12 or XML -> canonical JSON) have a `data` object rule;
// outbound mappings (canonical JSON -> X12) have segment templates.
//
// Every rule keeps the file and line it came from, so an error in mapping a message says
// "mappings/x12-004010/945.yaml:23: data.lines[1].sku: required value missing (W12-08) ...".
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/mapping/path.h"
#include "gateway/partners/profile.h"
#include "gateway/status.h"

namespace pugi {
class xpath_query;
}

namespace gateway::mapping {

enum class Format { kX12, kXml, kJson };

enum class ValueType { kString, kDecimal, kInteger, kDate, kTime, kDateTime, kBoolean };

// `when:` conditions: "PATH" (present), "!PATH" (absent), "PATH == V", "PATH != V",
// "PATH in [A, B]", "PATH not in [A, B]".
struct Condition {
  enum class Op { kExists, kMissing, kEq, kNe, kIn, kNotIn };
  Op op = Op::kExists;
  int source = -1;
  std::vector<std::string> values;
  std::string text;
};

struct Rule {
  enum class Kind { kValue, kObject, kArray, kCollect };
  enum class Combine { kNone, kConcat, kFirst, kDifference, kSum, kIndex };
  enum class OnMissing { kError, kKeep, kOmit };

  std::string name;  // output key (objects), "" for list items and elements
  std::string json_key;  // "\"name\":" as written before the field's value (set with name)
  int line = 0;
  Kind kind = Kind::kValue;

  // Where a value comes from: one source path, a constant, or a combination of parts.
  int source = -1;
  std::optional<std::string> constant;
  Combine combine = Combine::kNone;
  std::vector<Rule> parts;  // concat / first / difference (2) / collect items / sum (1: per item)
  std::string separator;    // concat
  int sum_each = -1;        // sum: the source iterated

  // Transforms, applied in this order: trim, upper, map/lookup, type, default.
  ValueType type = ValueType::kString;
  int implied_decimals = 0;
  bool trim = true;
  bool upper = false;
  // Outbound: free text (a name, an address line, a description). A delimiter or control
  // character in it becomes the profile's x12.delimiters.in_data; in any other value (an
  // order id, a SKU: what comes back in a 945) it refuses the order instead.
  bool text = false;
  std::vector<std::pair<std::string, std::string>> map;  // inline code map
  bool has_map = false;
  int table = -1;  // index into Mapping::tables
  bool reverse_lookup = false;
  OnMissing on_missing = OnMissing::kError;
  std::optional<std::string> default_value;
  bool required = false;
  std::optional<Condition> when;
  // Set at load: a value that is one source's text, trimmed, with no transform; mappers
  // write it straight from the source without a copy.
  bool direct = false;

  // Objects and arrays.
  int each = -1;             // arrays: the source iterated (loops, segments, nodes, items)
  std::vector<int> each_alternatives;  // `each: [A, B]`: B when A matches nothing
  std::vector<Rule> fields;  // objects, and arrays of objects
  int key_slot = -1;         // top-level fields that make up the idempotency key
};

// Outbound: one segment, or a loop of segment templates over a JSON array.
struct SegmentTemplate {
  int line = 0;
  std::string tag;  // empty for a loop
  std::vector<Rule> elements;  // kCollect rules are composites
  std::optional<Condition> when;
  int each = -1;
  std::vector<SegmentTemplate> children;
};

struct Mapping {
  std::string file;
  std::string name;
  std::string description;
  Format format = Format::kX12;
  bool outbound = false;
  std::string transaction_set;  // "945" (X12), the document name (XML)
  std::string type;             // canonical type: shipment_confirmation, ...
  std::string key_type;         // the type part of the idempotency key ("945")
  std::vector<std::string> key_fields;  // top-level data fields forming the business key

  // Inbound.
  Rule data;                     // kObject
  int documents = -1;            // XML: the nodes that are one document each

  // Outbound.
  std::string functional_id;     // GS01
  std::vector<SegmentTemplate> segments;

  // Sources, by index; one of these vectors is used, by format.
  std::vector<std::string> source_texts;
  std::vector<int> source_lines;
  std::vector<X12Path> x12_paths;
  std::vector<std::unique_ptr<pugi::xpath_query>> xpaths;
  struct JsonPath {
    bool absolute = false;
    std::vector<std::pair<std::string, int>> steps;  // key, or index (key empty)
  };
  std::vector<JsonPath> json_paths;

  std::vector<partners::CodeTable> tables;
  std::string profile_file;

  Mapping();
  ~Mapping();
  Mapping(Mapping&&) noexcept;
  Mapping& operator=(Mapping&&) noexcept;
};

// Loads and compiles a mapping for a partner (its code tables are bound here). Errors name
// the mapping file, the line and the key.
Result<std::shared_ptr<const Mapping>> LoadMapping(const std::string& path, const partners::PartnerProfile& profile);

// "file:line" of a rule, for messages.
std::string Where(const Mapping& m, int line);

}  // namespace gateway::mapping
