#include "gateway/report/validation_report.h"

#include "edi/ack.h"

namespace gateway {
namespace {

using nlohmann::json;

// JSON text of a string; invalid UTF-8 from a file is replaced rather than thrown on.
std::string Quote(const std::string& s) {
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json Codes(const std::vector<std::string>& codes) {
  json a = json::array();
  for (const std::string& c : codes) a.push_back(c);
  return a;
}

std::string Indent(int n) { return std::string(static_cast<size_t>(n) * 2, ' '); }

}  // namespace

json ErrorJson(const edi::Error& e) {
  json j;
  j["segment"] = e.segment;
  j["position"] = e.segment_position;
  j["code"] = e.segment_code;
  j["element"] = e.element > 0 ? json(e.element) : json(nullptr);
  j["component"] = e.component > 0 ? json(e.component) : json(nullptr);
  j["element_code"] = e.element_code;
  j["element_ref"] = e.element_ref;
  j["message"] = e.message;
  j["offset"] = e.offset;
  j["loop"] = e.loop;
  if (!e.bad_value.empty()) j["value"] = e.bad_value;
  if (!e.ta1_code.empty()) j["ta1_code"] = e.ta1_code;
  if (!e.group_code.empty()) j["group_code"] = e.group_code;
  if (!e.set_code.empty()) j["set_code"] = e.set_code;
  j["warning"] = e.warning;
  return j;
}

json SetJson(const edi::SetResult& set) {
  json j;
  j["id"] = set.info.id;
  j["control"] = set.info.control;
  j["status"] = std::string(1, set.status);
  j["ak5_codes"] = Codes(set.ak5_codes);
  json errors = json::array();
  for (const edi::Error& e : set.errors) errors.push_back(ErrorJson(e));
  j["errors"] = std::move(errors);
  j["error_count"] = set.error_count;
  j["segments"] = set.segment_count;
  j["offset"] = set.info.offset;
  j["schema"] = set.has_schema;
  return j;
}

// ---- JSON ----

JsonValidationReport::JsonValidationReport(std::ostream& out, std::string file) : out_(out) {
  out_ << "{\"file\":" << Quote(file) << ",\"interchanges\":[";
}

void JsonValidationReport::OnInterchangeStart(const edi::InterchangeInfo& info) {
  if (!first_interchange_) out_ << ',';
  first_interchange_ = false;
  first_group_ = true;
  out_ << "{\"index\":" << info.index << ",\"control\":" << Quote(info.control)
       << ",\"sender\":" << Quote(info.sender()) << ",\"receiver\":" << Quote(info.receiver())
       << ",\"version\":" << Quote(info.version) << ",\"date\":" << Quote(info.date)
       << ",\"time\":" << Quote(info.time) << ",\"usage\":" << Quote(info.usage)
       << ",\"ack_requested\":" << (info.ack_requested ? "true" : "false")
       << ",\"offset\":" << info.offset << ",\"groups\":[";
}

void JsonValidationReport::OnGroupStart(const edi::GroupInfo& g) {
  if (!first_group_) out_ << ',';
  first_group_ = false;
  first_set_ = true;
  out_ << "{\"functional_id\":" << Quote(g.functional_id) << ",\"control\":" << Quote(g.control)
       << ",\"version\":" << Quote(g.version) << ",\"sender\":" << Quote(g.sender)
       << ",\"receiver\":" << Quote(g.receiver) << ",\"sets\":[";
}

void JsonValidationReport::OnSetEnd(const edi::SetResult& set) {
  if (!first_set_) out_ << ',';
  first_set_ = false;
  out_ << Dump(SetJson(set));
}

void JsonValidationReport::OnGroupEnd(const edi::GroupResult& g) {
  json errors = json::array();
  for (const edi::Error& e : g.errors) errors.push_back(ErrorJson(e));
  out_ << "],\"ak9\":" << Quote(std::string(1, g.ak9)) << ",\"ak9_codes\":" << Dump(Codes(g.ak9_codes))
       << ",\"declared_sets\":" << (g.declared_sets.empty() ? "null" : Quote(g.declared_sets))
       << ",\"received_sets\":" << g.received_sets << ",\"accepted_sets\":" << g.accepted_sets
       << ",\"errors\":" << Dump(errors) << '}';
}

// A TA1 the partner sent us: the verdict on one of OUR interchanges (TA101).
void JsonValidationReport::OnTa1(const edi::Segment& segment) {
  const edi::InterchangeAck a = edi::ReadTa1(segment);
  json t = {{"control", a.control}, {"date", a.date}, {"time", a.time}, {"status", std::string(1, a.status)},
            {"note_code", a.note_code}};
  if (const std::string_view text = edi::Ta1NoteText(a.note_code); !text.empty()) t["note"] = std::string(text);
  ta1_received_.push_back(std::move(t));
}

void JsonValidationReport::OnInterchangeEnd(const edi::InterchangeResult& ix) {
  json errors = json::array();
  for (const edi::Error& e : ix.errors) errors.push_back(ErrorJson(e));
  out_ << "],\"ta1\":" << Quote(ix.ta1_code) << ",\"ta1_status\":" << Quote(std::string(1, ix.ta1_status))
       << ",\"duplicate_of\":" << (ix.duplicate_of < 0 ? std::string("null") : std::to_string(ix.duplicate_of))
       << ",\"ta1_received\":" << Dump(ta1_received_) << ",\"errors\":" << Dump(errors) << '}';
  ta1_received_ = json::array();
}

void JsonValidationReport::OnFileError(const edi::Error& e) { file_errors_.push_back(ErrorJson(e)); }

void JsonValidationReport::Finish(const edi::FileSummary& summary, const std::string& io_error) {
  if (!io_error.empty()) {
    edi::Error e = edi::FileError(io_error);
    file_errors_.push_back(ErrorJson(e));
  } else if (summary.not_x12 && file_errors_.empty()) {
    file_errors_.push_back(ErrorJson(edi::FileError("not X12: the input is empty")));
  }
  const bool ok = io_error.empty() && summary.ok;
  out_ << "],\"ok\":" << (ok ? "true" : "false") << ",\"not_x12\":" << (summary.not_x12 ? "true" : "false")
       << ",\"sets\":" << summary.sets << ",\"rejected_sets\":" << summary.rejected_sets
       << ",\"errors\":" << Dump(file_errors_) << "}\n";
}

// ---- text ----

TextValidationReport::TextValidationReport(std::ostream& out, std::string file, bool verbose)
    : out_(out), file_(std::move(file)), verbose_(verbose) {}

void TextValidationReport::OnInterchangeStart(const edi::InterchangeInfo& info) {
  out_ << file_ << ": interchange " << info.index + 1 << " ISA13 " << info.control << ", "
       << info.sender() << " -> " << info.receiver() << ", version " << info.version << '\n';
}

void TextValidationReport::OnGroupStart(const edi::GroupInfo& g) {
  out_ << Indent(1) << "group " << g.functional_id << " GS06 " << g.control << " (" << g.version
       << ")\n";
}

void TextValidationReport::OnSetEnd(const edi::SetResult& set) {
  if (set.status == 'A' && !verbose_ && set.errors.empty()) return;
  out_ << Indent(2) << "set " << set.info.id << " " << set.info.control << ": "
       << (set.status == 'A' ? "accepted" : set.status == 'E' ? "accepted with errors" : "REJECTED");
  if (!set.ak5_codes.empty()) {
    out_ << " (AK5";
    for (const std::string& c : set.ak5_codes) out_ << ' ' << c;
    out_ << ')';
  }
  out_ << '\n';
  for (const edi::Error& e : set.errors) {
    out_ << Indent(3) << (e.warning ? "note: " : "") << e.Describe() << '\n';
  }
  if (set.error_count > set.errors.size()) {
    out_ << Indent(3) << "... and " << set.error_count - set.errors.size() << " more\n";
  }
}

void TextValidationReport::OnGroupEnd(const edi::GroupResult& g) {
  for (const edi::Error& e : g.errors) {
    out_ << Indent(2) << (e.warning ? "note: " : "") << e.Describe() << '\n';
  }
  out_ << Indent(1) << "group " << g.info.control << ": AK9 " << g.ak9;
  for (const std::string& c : g.ak9_codes) out_ << ' ' << c;
  out_ << ", " << g.received_sets << " sets received, " << g.accepted_sets << " accepted\n";
}

void TextValidationReport::OnTa1(const edi::Segment& segment) {
  const edi::InterchangeAck a = edi::ReadTa1(segment);
  const std::string_view text = edi::Ta1NoteText(a.note_code);
  out_ << Indent(1) << "TA1 received: interchange " << a.control << " "
       << (a.status == 'A' ? "accepted" : a.status == 'E' ? "accepted with errors" : "REJECTED");
  if (!a.note_code.empty()) out_ << " (" << a.note_code << (text.empty() ? "" : " " + std::string(text)) << ')';
  out_ << '\n';
}

void TextValidationReport::OnInterchangeEnd(const edi::InterchangeResult& ix) {
  for (const edi::Error& e : ix.errors) {
    out_ << Indent(1) << (e.warning ? "note: " : "") << e.Describe() << '\n';
  }
  out_ << Indent(0) << file_ << ": interchange " << ix.info.index + 1 << ": TA1 " << ix.ta1_status
       << ' ' << ix.ta1_code << '\n';
}

void TextValidationReport::OnFileError(const edi::Error& e) {
  out_ << file_ << ": " << e.Describe() << '\n';
}

void TextValidationReport::Finish(const edi::FileSummary& s, const std::string& io_error) {
  if (!io_error.empty()) {
    out_ << file_ << ": ERROR: " << io_error << '\n';
    return;
  }
  if (s.not_x12) {
    out_ << file_ << ": NOT X12\n";
    return;
  }
  out_ << file_ << ": " << (s.ok ? "OK" : "REJECTED") << " (" << s.interchanges << " interchanges, "
       << s.groups << " groups, " << s.sets << " sets, " << s.rejected_sets << " rejected)\n";
}

}  // namespace gateway
