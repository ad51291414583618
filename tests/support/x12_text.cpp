#include "tests/support/x12_text.h"

#include <algorithm>

#include "edi/byte_source.h"

namespace x12test {
namespace {

std::string Pad(std::string s, size_t n) {
  s.resize(n, ' ');
  return s;
}

size_t CountSegments(std::string_view text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '~')); }

}  // namespace

std::string Isa(const IsaFields& f) {
  return "ISA*00*" + Pad("", 10) + "*00*" + Pad("", 10) + "*" + f.sender_qualifier + "*" +
         Pad(f.sender, 15) + "*" + f.receiver_qualifier + "*" + Pad(f.receiver, 15) + "*" + f.date +
         "*" + f.time + "*" + f.isa11 + "*" + f.version + "*" + f.control + "*" + f.ack_requested +
         "*" + f.usage + "*" + f.component;
}

void Damage(std::string* text, std::mt19937& rng, int edits, std::string_view alphabet, std::string_view insert) {
  std::string& t = *text;
  for (int k = 0; k < edits && !t.empty(); ++k) {
    const size_t at = rng() % t.size();
    switch (rng() % 4) {
      case 0: t[at] = alphabet[rng() % alphabet.size()]; break;
      case 1: t.erase(at, 1 + rng() % 200); break;
      case 2: t.insert(at, std::string(1 + rng() % 4, alphabet[rng() % alphabet.size()])); break;
      default: t.insert(at, insert); break;
    }
  }
}

std::string Redelimit(std::string_view canonical, char element, char component,
                      std::string_view terminator, std::string_view suffix) {
  std::string out;
  for (size_t i = 0; i < canonical.size(); ++i) {
    const char c = canonical[i];
    if (c == '*') {
      out.push_back(element);
    } else if (c == ':') {
      out.push_back(component);
    } else if (c == '~') {
      out.append(terminator);
      out.append(suffix);
      if (i + 1 < canonical.size() && canonical[i + 1] == '\n') ++i;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Set945(std::string_view control, std::string_view order, std::string_view shipment,
                   int lines) {
  std::string body;
  body += "W06*N*" + std::string(order) + "*20261120*" + std::string(shipment) + "~\n";
  body += "N1*ST*ACME STORE 12*92*STORE12~\n";
  body += "N3*12 MAIN STREET~\n";
  body += "N4*RENO*NV*89501*US~\n";
  body += "G62*11*20261120~\n";
  body += "W27*M*UPSN*UPS GROUND*PP~\n";
  for (int i = 1; i <= lines; ++i) {
    body += "LX*" + std::to_string(i) + "~\n";
    body += "MAN*GM*0000123456789012345" + std::to_string(i % 10) + "~\n";
    body += "W12*CC*10*10**EA**SK*SKU-" + std::to_string(1000 + i) + "~\n";
    body += "N9*2I*1Z999AA1012345678" + std::to_string(i % 10) + "~\n";
  }
  body += "W03*" + std::to_string(10 * lines) + "*25.5*LB~\n";
  const size_t count = CountSegments(body) + 2;
  return "ST*945*" + std::string(control) + "~\n" + body + "SE*" + std::to_string(count) + "*" +
         std::string(control) + "~\n";
}

std::string Set856(std::string_view control, std::string_view shipment) {
  std::string body;
  body += "BSN*00*" + std::string(shipment) + "*20261120*1432*0001~\n";
  body += "HL*1**S*1~\n";
  body += "TD1*CTN25*2****G*31.2*LB~\n";
  body += "TD5*B*2*UPSN*U~\n";
  body += "REF*BM*BOL12345~\n";
  body += "DTM*011*20261120~\n";
  body += "N1*ST*ACME STORE 12*92*STORE12~\n";
  body += "HL*2*1*O*1~\n";
  body += "PRF*PO-4711~\n";
  body += "HL*3*2*P*1~\n";
  body += "MAN*GM*00001234560000000018~\n";
  body += "HL*4*3*I*0~\n";
  body += "LIN**SK*SKU-1001*UP*012345678905~\n";
  body += "SN1**6*EA~\n";
  body += "CTT*4~\n";
  const size_t count = CountSegments(body) + 2;
  return "ST*856*" + std::string(control) + "~\n" + body + "SE*" + std::to_string(count) + "*" +
         std::string(control) + "~\n";
}

std::string Interchange(const std::vector<std::string>& sets, std::string_view functional_id,
                        const IsaFields& isa, std::string_view group_control, std::string_view gs08) {
  std::string out = Isa(isa) + "~\n";
  out += "GS*" + std::string(functional_id) + "*" + isa.sender + "*" + isa.receiver + "*20261120*1432*" +
         std::string(group_control) + "*X*" + std::string(gs08) + "~\n";
  for (const std::string& s : sets) out += s;
  out += "GE*" + std::to_string(sets.size()) + "*" + std::string(group_control) + "~\n";
  out += "IEA*1*" + isa.control + "~\n";
  return out;
}

Collected ValidateText(std::string_view text, edi::ValidationOptions options) {
  Collected c;
  CollectingSink sink(&c);
  edi::MemorySource src(text);
  c.summary = edi::Validate(src, sink, options);
  return c;
}

bool HasElementCode(const edi::SetResult& set, std::string_view code) {
  for (const edi::Error& e : set.errors) {
    if (e.element_code == code) return true;
  }
  return false;
}

bool HasSegmentCode(const edi::SetResult& set, std::string_view code) {
  for (const edi::Error& e : set.errors) {
    if (e.segment_code == code) return true;
  }
  return false;
}

}  // namespace x12test
