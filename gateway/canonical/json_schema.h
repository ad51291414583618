// A JSON Schema checker for the subset the canonical schemas (docs/schemas) use: type,
// properties, required, additionalProperties, items, enum, const, pattern, minLength,
// maxLength, minItems, maxItems, minimum, format (date, date-time, time), local $ref ("#/$defs/x"),
// allOf, anyOf, oneOf. Debian ships no C++ JSON Schema validator, and this subset is small.
// Errors name the JSON path of the offending value ("$.data.lines[1].quantity: ...").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::canonical {

// Checks `value` against `schema` (the schema document; `pointer` selects a sub-schema such
// as "#/$defs/data", "" for the whole). Appends one message per problem; true when none.
bool CheckJsonSchema(const nlohmann::json& schema, const nlohmann::json& value, std::vector<std::string>* errors,
                     std::string_view pointer = "", const std::string& path = "$");

// The embedded schema of a canonical type ("shipment_confirmation" ->
// docs/schemas/shipment_confirmation.schema.json), or nullptr.
const nlohmann::json* CanonicalSchema(std::string_view type);

}  // namespace gateway::canonical
