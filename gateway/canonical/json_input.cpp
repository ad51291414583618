#include "gateway/canonical/json_input.h"

namespace gateway::canonical {

namespace {

using json = nlohmann::json;

// The DOM builder of nlohmann-json, except that non-integer numbers become strings.
class ExactSax : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  explicit ExactSax(json& root) : json_sax_dom_parser<json>(root, true) {}
  bool number_float(json::number_float_t /*value*/, const json::string_t& text) {
    json::string_t copy = text;
    return json_sax_dom_parser<json>::string(copy);
  }
};

}  // namespace

Result<json> ParseExactJson(std::string_view text) {
  json root;
  ExactSax sax(root);
  try {
    if (!json::sax_parse(text.begin(), text.end(), &sax)) {
      return Status(Code::kInvalidArgument, "not valid JSON");
    }
  } catch (const json::exception& e) {
    return Status(Code::kInvalidArgument, std::string("not valid JSON: ") + e.what());
  }
  return root;
}

Result<json> UnwrapEvent(json document, std::string_view expected_type) {
  if (document.is_object() && document.contains("specversion") && document.contains("data")) {
    if (document.contains("type") && document["type"].is_string() &&
        document["type"].get<std::string>() != expected_type) {
      return Status(Code::kInvalidArgument, "$.type: the event is a " + document["type"].get<std::string>() +
                                                ", not a " + std::string(expected_type));
    }
    return json(std::move(document["data"]));
  }
  return document;
}

}  // namespace gateway::canonical
