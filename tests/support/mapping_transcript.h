// Everything an InboundSink is told, as text, for tests that compare two ways of mapping the
// same input (threads or none, the compiled mapping or the Evaluator). Header-only: only the
// gateway tests include it, and every test binary links tests/support.
#pragma once

#include <string>

#include "edi/byte_source.h"
#include "edi/validator.h"
#include "gateway/mapping/inbound.h"

namespace mappingtest {

inline std::string OriginText(const gateway::mapping::SetOrigin& o) {
  std::string t = std::to_string(o.index) + " " + o.set_id + " " + o.isa13 + "/" + o.gs06 + "/" + o.st02 + " " + o.key_type;
  for (const std::string& k : o.business_key) t += " [" + k + "]";
  return t;
}

// Every sink callback, with its arguments, as text.
class Transcript : public gateway::mapping::InboundSink {
 public:
  void OnMapped(const gateway::mapping::MappedMessage& m) override {
    ++mapped;
    text += "MAPPED " + std::string(m.type) + " " + std::string(m.idempotency_key) + " " + OriginText(*m.origin) + "\n" +
            std::string(m.event) + "\n" + std::string(m.explain) + "\n";
  }
  void OnRejected(gateway::mapping::RejectedMessage r) override {
    ++rejected;
    text += "REJECTED " + r.what + " " + OriginText(r.origin) + "\n";
    for (const std::string& e : r.errors) text += "  " + e + "\n";
  }
  void OnWarning(const std::string& w) override { text += "WARNING " + w + "\n"; }
  std::string text;
  int mapped = 0, rejected = 0;
  size_t compiled = 0;  // sets the compiled mapping mapped (X12InboundMapper::compiled_sets)
  size_t spilled = 0;   // sets held in the temporary file (X12InboundMapper::spilled_sets)
};

// Validates and maps X12 `input` with `options`, as edigate map does.
inline Transcript MapX12(const std::string& input, const gateway::mapping::InboundOptions& options) {
  Transcript t;
  edi::MemorySource source(input);
  gateway::mapping::X12InboundMapper mapper(options, t);
  edi::Validate(source, mapper);
  mapper.Finish();
  t.compiled = mapper.compiled_sets();
  t.spilled = mapper.spilled_sets();
  return t;
}

}  // namespace mappingtest
