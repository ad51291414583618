#include "edi/error.h"

#include <string>

namespace edi {

std::string Error::Describe() const {
  std::string s = "offset " + std::to_string(offset);
  if (segment_position > 0) {
    s += ", segment " + std::to_string(segment_position);
  }
  if (!segment.empty()) {
    s += segment_position > 0 ? " (" + segment + ")" : ", segment " + segment;
  }
  if (element > 0) {
    s += ", element " + std::to_string(element);
    if (component > 0) s += "." + std::to_string(component);
  }
  std::string code;
  if (!element_code.empty()) {
    code = "AK403=" + element_code;
  } else if (!segment_code.empty()) {
    code = "AK304=" + segment_code;
  } else if (!set_code.empty()) {
    code = "AK502=" + set_code;
  } else if (!group_code.empty()) {
    code = "AK905=" + group_code;
  } else if (!ta1_code.empty()) {
    code = "TA105=" + ta1_code;
  }
  if (!code.empty()) s += " [" + code + "]";
  s += ": " + message;
  return s;
}

std::string Printable(std::string_view bytes, size_t max) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

Error FileError(std::string message, uint64_t offset) {
  Error e;
  e.layer = Layer::kFile;
  e.offset = offset;
  e.message = std::move(message);
  return e;
}

}  // namespace edi
