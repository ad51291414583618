// Reading canonical JSON (orders from the OMS) without binary floating point: a number with a
// fraction or exponent ("3.50", 1e2) is kept as its original text, a JSON string, so that
// quantities reach the 940 exactly as sent. Integers stay integers.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/status.h"

namespace gateway::canonical {

// Parses `text`; the error gives the byte position.
Result<nlohmann::json> ParseExactJson(std::string_view text);

// The data object of an order given either bare or as a whole CloudEvent
// ({"specversion": ..., "type": "fulfillment_order", "data": {...}}). `expected_type` is
// checked against the event's type when present.
Result<nlohmann::json> UnwrapEvent(nlohmann::json document, std::string_view expected_type);

}  // namespace gateway::canonical
