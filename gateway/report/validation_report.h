// Reports of `edigate validate`: a streaming JSON document per file (the field names are a
// contract, issue 2) and a human-readable summary. Both are ValidationSinks that write as the
// validation goes, so a 1 GB file never builds a report in memory.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "edi/validator.h"

namespace gateway {

nlohmann::json ErrorJson(const edi::Error& e);
nlohmann::json SetJson(const edi::SetResult& set);

// {"file": ..., "interchanges": [...], "ok": ..., "not_x12": ..., "errors": [...]} on one line.
class JsonValidationReport final : public edi::ValidationSink {
 public:
  JsonValidationReport(std::ostream& out, std::string file);
  void OnInterchangeStart(const edi::InterchangeInfo& info) override;
  void OnGroupStart(const edi::GroupInfo& info) override;
  void OnSetEnd(const edi::SetResult& set) override;
  void OnGroupEnd(const edi::GroupResult& group) override;
  void OnTa1(const edi::Segment& segment) override;
  void OnInterchangeEnd(const edi::InterchangeResult& ix) override;
  void OnFileError(const edi::Error& e) override;
  // Closes the document; `io_error` is set when the file could not be read at all.
  void Finish(const edi::FileSummary& summary, const std::string& io_error = "");

 private:
  std::ostream& out_;
  nlohmann::json file_errors_ = nlohmann::json::array();
  nlohmann::json ta1_received_ = nlohmann::json::array();  // of the current interchange
  bool first_interchange_ = true;
  bool first_group_ = true;
  bool first_set_ = true;
};

// Human output: one line per file, interchange and group; sets only when not accepted
// (or all with `verbose`), with their errors.
class TextValidationReport final : public edi::ValidationSink {
 public:
  TextValidationReport(std::ostream& out, std::string file, bool verbose);
  void OnInterchangeStart(const edi::InterchangeInfo& info) override;
  void OnGroupStart(const edi::GroupInfo& info) override;
  void OnSetEnd(const edi::SetResult& set) override;
  void OnGroupEnd(const edi::GroupResult& group) override;
  void OnTa1(const edi::Segment& segment) override;
  void OnInterchangeEnd(const edi::InterchangeResult& ix) override;
  void OnFileError(const edi::Error& e) override;
  void Finish(const edi::FileSummary& summary, const std::string& io_error = "");

 private:
  std::ostream& out_;
  std::string file_;
  bool verbose_;
};

}  // namespace gateway
