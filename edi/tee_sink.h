// Fans one validation's events out to several sinks, in order (a reader, an acknowledgment
// builder and a mapper all listen to the same single pass over a file).
#pragma once

#include <initializer_list>
#include <vector>

#include "edi/validator.h"

namespace edi {

class TeeSink final : public ValidationSink {
 public:
  TeeSink(std::initializer_list<ValidationSink*> sinks) : sinks_(sinks) {}
  void OnInterchangeStart(const InterchangeInfo& i) override { for (auto* s : sinks_) s->OnInterchangeStart(i); }
  void OnGroupStart(const GroupInfo& g) override { for (auto* s : sinks_) s->OnGroupStart(g); }
  void OnSetStart(const SetInfo& i) override { for (auto* s : sinks_) s->OnSetStart(i); }
  void OnSetSegment(const Segment& seg, const SegmentContext& c) override { for (auto* s : sinks_) s->OnSetSegment(seg, c); }
  void OnSetEnd(const SetResult& r) override { for (auto* s : sinks_) s->OnSetEnd(r); }
  void OnGroupEnd(const GroupResult& g) override { for (auto* s : sinks_) s->OnGroupEnd(g); }
  void OnTa1(const Segment& seg) override { for (auto* s : sinks_) s->OnTa1(seg); }
  void OnInterchangeEnd(const InterchangeResult& i) override { for (auto* s : sinks_) s->OnInterchangeEnd(i); }
  void OnFileError(const Error& e) override { for (auto* s : sinks_) s->OnFileError(e); }

 private:
  std::vector<ValidationSink*> sinks_;
};

}  // namespace edi
