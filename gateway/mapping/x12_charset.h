// What an outbound value may hold in the partner's X12. X12 has no escape character: a value
// holding one of the delimiters would split its element or segment, a control character is
// invalid in every AN element, and most 3PL translators read 004010 as ASCII (UTF-8 also
// makes a 60-character name 61 bytes, past the element's maximum).
//
// In free text (Rule::text: names, address lines, descriptions) delimiters and control
// characters become the profile's x12.delimiters.in_data (a space by default) and, under
// x12.charset ascii, accented Latin letters and typographic punctuation are transliterated
// ("Müller" -> "Muller", "’" -> "'"); anything else becomes in_data too. Every change is
// reported by where the value came from. In any other value (an order id, a SKU: what comes
// back in a 945 and must match) the same bytes refuse the order instead, as they do
// everywhere with in_data "reject".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "edi/delimiters.h"
#include "gateway/partners/profile.h"

namespace gateway::mapping {

class X12Charset {
 public:
  X12Charset(const partners::PartnerProfile& profile, const edi::Delimiters& delimiters);

  // Makes `v` fit, in place (free text when `text`); `where` names it in warnings and errors.
  void Fit(std::string* v, bool text, const std::string& where);

  std::vector<std::string> warnings, errors;

 private:
  std::optional<char> replacement_;
  bool ascii_ = true;
  bool special_[256] = {};  // delimiters and control characters
};

}  // namespace gateway::mapping
