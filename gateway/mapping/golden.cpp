#include "gateway/mapping/golden.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "edi/delimiters.h"
#include "gateway/mapping/map_file.h"

namespace gateway::mapping {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string Short(const json& v) {
  std::string s = v.dump();
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

// Differences between two JSON values as "path: expected X, got Y" lines.
void Diff(const json& want, const json& got, const std::string& path, std::vector<std::string>* out) {
  if (want.is_object() && got.is_object()) {
    for (const auto& [k, v] : want.items()) {
      if (!got.contains(k)) {
        out->push_back(path + "." + k + ": missing (expected " + Short(v) + ")");
      } else {
        Diff(v, got[k], path + "." + k, out);
      }
    }
    for (const auto& [k, v] : got.items()) {
      if (!want.contains(k)) out->push_back(path + "." + k + ": unexpected " + Short(v));
    }
    return;
  }
  if (want.is_array() && got.is_array()) {
    const size_t n = std::max(want.size(), got.size());
    for (size_t i = 0; i < n; ++i) {
      const std::string p = path + "[" + std::to_string(i) + "]";
      if (i >= got.size()) {
        out->push_back(p + ": missing (expected " + Short(want[i]) + ")");
      } else if (i >= want.size()) {
        out->push_back(p + ": unexpected " + Short(got[i]));
      } else {
        Diff(want[i], got[i], p, out);
      }
    }
    return;
  }
  if (want != got) out->push_back(path + ": expected " + Short(want) + ", got " + Short(got));
}

class CollectSink : public InboundSink {
 public:
  void OnMapped(const MappedMessage& m) override { events.emplace_back(m.event); }
  void OnRejected(RejectedMessage r) override {
    std::string s = r.what;
    for (const std::string& e : r.errors) s += "\n    " + e;
    rejections.push_back(std::move(s));
  }
  void OnWarning(const std::string&) override {}
  std::vector<std::string> events;
  std::vector<std::string> rejections;
};

struct Setups {
  std::string config;
  std::map<std::string, Result<PartnerSetup>> loaded;
  const Result<PartnerSetup>& Get(const std::string& partner) {
    auto it = loaded.find(partner);
    if (it == loaded.end()) it = loaded.emplace(partner, LoadPartnerSetup(config, partner)).first;
    return it->second;
  }
};

bool RunInbound(const fs::path& input, const fs::path& expected, const PartnerSetup& setup, std::ostream& out) {
  CollectSink sink;
  Status s = MapFile(input.string(), setup, false, sink);
  std::vector<std::string> problems;
  if (!s.ok()) problems.push_back(s.message());
  const std::vector<std::string> want = Lines(Slurp(expected));
  for (size_t i = 0; i < std::max(want.size(), sink.events.size()); ++i) {
    const std::string name = "event " + std::to_string(i + 1);
    if (i >= sink.events.size()) {
      problems.push_back(name + ": missing (expected " + want[i].substr(0, 120) + ")");
      continue;
    }
    if (i >= want.size()) {
      problems.push_back(name + ": unexpected " + sink.events[i].substr(0, 160));
      continue;
    }
    try {
      std::vector<std::string> d;
      Diff(json::parse(want[i]), json::parse(sink.events[i]), "$", &d);
      for (std::string& x : d) problems.push_back(name + " " + x);
    } catch (const json::exception& e) {
      problems.push_back(name + ": " + e.what());
    }
  }
  fs::path rej = expected;
  rej.replace_filename(input.stem().string() + ".expected-rejections.txt");
  const std::vector<std::string> want_rej = fs::exists(rej) ? Lines(Slurp(rej)) : std::vector<std::string>{};
  for (size_t i = 0; i < std::max(want_rej.size(), sink.rejections.size()); ++i) {
    const std::string name = "rejection " + std::to_string(i + 1);
    if (i >= sink.rejections.size()) {
      problems.push_back(name + ": missing (expected one mentioning '" + want_rej[i] + "')");
    } else if (i >= want_rej.size()) {
      problems.push_back(name + ": unexpected: " + sink.rejections[i]);
    } else if (sink.rejections[i].find(want_rej[i]) == std::string::npos) {
      problems.push_back(name + ": expected one mentioning '" + want_rej[i] + "', got: " + sink.rejections[i]);
    }
  }
  if (problems.empty()) return true;
  for (const std::string& p : problems) out << "    " << p << '\n';
  return false;
}

bool RunOutbound(const fs::path& input, const PartnerSetup& setup, std::ostream& out) {
  RenderControl control;  // a throwaway counter; compared without control numbers and dates
  control.date = "20000101";
  control.time = "0000";
  const RenderOutput r = RenderOrderText(setup, Slurp(input), control);
  fs::path edi = input, errs = input;
  edi.replace_extension(".expected.edi");
  errs.replace_extension(".expected-errors.txt");
  if (fs::exists(errs)) {
    bool ok = !r.errors.empty();
    if (!ok) out << "    expected the order to be refused, but it rendered\n";
    std::string all;
    for (const std::string& e : r.errors) all += e + "\n";
    for (const std::string& want : Lines(Slurp(errs))) {
      if (all.find(want) == std::string::npos) {
        out << "    no error mentions '" << want << "'\n";
        ok = false;
      }
    }
    if (!ok && !all.empty()) out << "    errors were:\n" << all;
    return ok;
  }
  if (!r.errors.empty()) {
    for (const std::string& e : r.errors) out << "    " << e << '\n';
    return false;
  }
  const std::vector<std::string> want = Lines(NormalizeInterchangeForCompare(Slurp(edi)));
  const std::vector<std::string> got = Lines(NormalizeInterchangeForCompare(r.x12));
  if (want == got) return true;
  // A line diff: common prefix and suffix, then the differing middle.
  size_t a = 0;
  while (a < want.size() && a < got.size() && want[a] == got[a]) ++a;
  size_t b = 0;
  while (b < want.size() - a && b < got.size() - a && want[want.size() - 1 - b] == got[got.size() - 1 - b]) ++b;
  out << "    segments " << a + 1 << "..: (- expected, + rendered)\n";
  for (size_t i = a; i < want.size() - b; ++i) out << "    - " << want[i] << '\n';
  for (size_t i = a; i < got.size() - b; ++i) out << "    + " << got[i] << '\n';
  return false;
}

}  // namespace

std::string NormalizeInterchangeForCompare(const std::string& x12) {
  auto layout = edi::DetectIsa(std::string_view(x12).substr(0, std::min<size_t>(x12.size(), edi::kIsaWindow)));
  if (!layout.ok() || x12.compare(0, 3, "ISA") != 0) return x12;
  const edi::Delimiters& d = layout->delimiters;
  std::string out;
  size_t pos = 0;
  while (pos < x12.size()) {
    size_t end = x12.find(d.terminator, pos);
    if (end == std::string::npos) end = x12.size();
    std::string seg = x12.substr(pos, end - pos);
    pos = end + d.terminator.size();
    while (!seg.empty() && (seg.front() == '\n' || seg.front() == '\r')) seg.erase(0, 1);
    if (seg.empty()) continue;
    std::vector<std::string> f;
    size_t s = 0;
    while (true) {
      size_t e = seg.find(d.element, s);
      f.push_back(seg.substr(s, e == std::string::npos ? std::string::npos : e - s));
      if (e == std::string::npos) break;
      s = e + 1;
    }
    auto blank = [&](size_t i, const char* what) {
      if (i < f.size()) f[i] = what;
    };
    if (f[0] == "ISA") {
      blank(9, "<date>");
      blank(10, "<time>");
      blank(13, "<control>");
    } else if (f[0] == "GS") {
      blank(4, "<date>");
      blank(5, "<time>");
      blank(6, "<control>");
    } else if (f[0] == "ST" || f[0] == "SE" || f[0] == "GE" || f[0] == "IEA") {
      blank(2, "<control>");
    }
    std::string line;
    for (size_t i = 0; i < f.size(); ++i) line += (i ? "*" : "") + f[i];
    out += line + "\n";
  }
  return out;
}

Result<GoldenSummary> RunGoldenTests(const std::string& dir, std::ostream& out) {
  const fs::path root = dir;
  const fs::path spec = root / "mapping-test.yaml";
  if (!fs::exists(spec)) return Status(Code::kNotFound, spec.string() + ": missing (config: and partner: of the tests)");
  Setups setups;
  std::string partner;
  std::map<std::string, std::string> per_case;
  try {
    const YAML::Node y = YAML::LoadFile(spec.string());
    if (y["config"]) setups.config = (root / y["config"].as<std::string>()).lexically_normal().string();
    if (!y["partner"]) return Status(Code::kInvalidArgument, spec.string() + ": partner: is required");
    partner = y["partner"].as<std::string>();
    if (y["partners"]) {
      for (const auto& kv : y["partners"]) per_case[kv.first.as<std::string>()] = kv.second.as<std::string>();
    }
  } catch (const YAML::Exception& e) {
    return Status(Code::kInvalidArgument, spec.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(root)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  GoldenSummary sum;
  for (const fs::path& f : files) {
    const std::string name = f.filename().string();
    const std::string stem = f.stem().string();
    if (name.find(".expected") != std::string::npos || name == "mapping-test.yaml") continue;
    const std::string ext = f.extension().string();
    fs::path expected;
    bool inbound = false;
    if (ext == ".edi" || ext == ".x12" || ext == ".xml" || ext == ".txt") {
      expected = root / (stem + ".expected.jsonl");
      inbound = true;
      if (!fs::exists(expected)) continue;
    } else if (ext == ".json") {
      if (!fs::exists(root / (stem + ".expected.edi")) && !fs::exists(root / (stem + ".expected-errors.txt"))) continue;
    } else {
      continue;
    }
    const std::string who = per_case.count(stem) ? per_case[stem] : partner;
    const Result<PartnerSetup>& setup = setups.Get(who);
    std::ostringstream detail;
    bool ok;
    if (!setup.ok()) {
      detail << "    " << setup.status().message() << '\n';
      ok = false;
    } else {
      ok = inbound ? RunInbound(f, expected, *setup, detail) : RunOutbound(f, *setup, detail);
    }
    out << (ok ? "PASS " : "FAIL ") << name << " (" << who << ")\n" << detail.str();
    (ok ? sum.passed : sum.failed)++;
  }
  out << sum.passed << " passed, " << sum.failed << " failed\n";
  return sum;
}

}  // namespace gateway::mapping
