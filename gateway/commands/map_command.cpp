// edigate map --partner P [--config F] [--explain] FILE...
// edigate render --partner P [--config F] ORDER.json
#include <chrono>
#include <ctime>
#include <fstream>
#include <ostream>
#include <sstream>

#include "edi/x12_time.h"
#include "gateway/commands/args.h"
#include "gateway/commands/command.h"
#include "gateway/mapping/map_file.h"

namespace gateway {

namespace {

constexpr const char* kMapUsage =
    "usage: edigate map --partner P [--config F] [--explain] FILE...\n"
    "  prints one canonical event (CloudEvents JSON) per line for each accepted transaction set\n"
    "  (or XML document); rejected sets go to stderr with their errors and are not mapped.\n"
    "  --partner selects the profile (an id in the config's partners_dir, or a profile path)\n"
    "  --explain writes to stderr which mapping rule produced each field\n"
    "  exit 0 all mapped, 1 anything rejected, 2 usage or setup error\n";

constexpr const char* kRenderUsage =
    "usage: edigate render --partner P [--config F] ORDER.json\n"
    "  prints the 940 interchange for a fulfillment order (a data object or a whole CloudEvent),\n"
    "  validated before it is printed. Control numbers are a throwaway counter (1): rendering\n"
    "  offline never consumes the partner's real control numbers.\n"
    "  exit 0 ok, 1 the order is invalid, 2 usage or setup error\n";

// Events are gathered in a large buffer and handed to the output stream in big writes (a
// 1 GB file makes several GB of JSON). Whatever is gathered goes out before anything is
// written to stderr, so the two streams keep their relative order.
class StreamSink : public mapping::InboundSink {
 public:
  StreamSink(CommandIo io, bool explain) : io_(io), explain_(explain) { buf_.reserve(kBufferBytes + 4096); }
  ~StreamSink() override { Flush(); }
  void OnMapped(const mapping::MappedMessage& m) override {
    buf_.append(m.event);
    buf_.push_back('\n');
    if (explain_) {
      Flush();
      io_.err << m.explain;
    } else if (buf_.size() >= kBufferBytes) {
      Flush();
    }
    ++mapped;
  }
  void OnRejected(mapping::RejectedMessage r) override {
    Flush();
    io_.err << "edigate map: REJECTED " << r.what << '\n';
    for (const std::string& e : r.errors) io_.err << "  " << e << '\n';
    ++rejected;
  }
  void OnWarning(const std::string& w) override {
    Flush();
    io_.err << "edigate map: warning: " << w << '\n';
  }
  // Hands the gathered events to the output stream (which the caller flushes at the end).
  void Flush() {
    if (buf_.empty()) return;
    io_.out.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
  size_t mapped = 0, rejected = 0;

 private:
  static constexpr size_t kBufferBytes = 1 << 20;
  CommandIo io_;
  bool explain_;
  std::string buf_;
};

}  // namespace

int RunMapCommand(const CommandArgs& argv, CommandIo io) {
  Args args(argv, {"--partner", "--config"}, {"--explain", "--help"});
  if (!args.ok() || args.Has("--help") || args.positional().empty() || !args.Has("--partner")) {
    if (!args.ok()) io.err << "edigate map: " << args.error() << '\n';
    if (args.ok() && !args.Has("--help") && !args.Has("--partner")) io.err << "edigate map: --partner is required\n";
    (args.Has("--help") ? io.out : io.err) << kMapUsage;
    return args.Has("--help") ? kExitOk : kExitUsage;
  }
  auto setup = mapping::LoadPartnerSetup(args.ValueOr("--config", ""), *args.Value("--partner"));
  if (!setup.ok()) {
    io.err << "edigate map: " << setup.status().message() << '\n';
    return kExitUsage;
  }
  StreamSink sink(io, args.Has("--explain"));
  int rc = kExitOk;
  for (const std::string& file : args.positional()) {
    Status s = mapping::MapFile(file, *setup, args.Has("--explain"), sink);
    if (!s.ok()) {
      sink.Flush();
      io.err << "edigate map: " << s.message() << '\n';
      rc = kExitUsage;
    }
  }
  sink.Flush();
  io.out.flush();
  if (rc == kExitOk && sink.rejected > 0) rc = kExitRejected;
  return rc;
}

int RunRenderCommand(const CommandArgs& argv, CommandIo io) {
  Args args(argv, {"--partner", "--config"}, {"--help"});
  if (!args.ok() || args.Has("--help") || args.positional().size() != 1 || !args.Has("--partner")) {
    if (!args.ok()) io.err << "edigate render: " << args.error() << '\n';
    (args.Has("--help") ? io.out : io.err) << kRenderUsage;
    return args.Has("--help") ? kExitOk : kExitUsage;
  }
  auto setup = mapping::LoadPartnerSetup(args.ValueOr("--config", ""), *args.Value("--partner"));
  if (!setup.ok()) {
    io.err << "edigate render: " << setup.status().message() << '\n';
    return kExitUsage;
  }
  std::ifstream in(args.positional()[0], std::ios::binary);
  if (!in) {
    io.err << "edigate render: cannot read " << args.positional()[0] << '\n';
    return kExitUsage;
  }
  std::stringstream text;
  text << in.rdbuf();
  mapping::RenderControl control;  // a throwaway counter: 1, 1, 1
  const edi::X12Stamp stamp = edi::StampOf(std::time(nullptr));
  control.date = stamp.date;
  control.time = stamp.time;
  mapping::RenderOutput out = mapping::RenderOrderText(*setup, text.str(), control);
  if (!out.errors.empty()) {
    io.err << "edigate render: " << args.positional()[0] << ": "
           << (out.order_invalid ? "the order cannot be rendered:" : "setup error:") << '\n';
    for (const std::string& e : out.errors) io.err << "  " << e << '\n';
    return out.order_invalid ? kExitRejected : kExitUsage;
  }
  for (const std::string& w : out.warnings) io.err << "edigate render: warning: " << w << '\n';
  io.out << out.x12;
  io.out.flush();
  return kExitOk;
}

}  // namespace gateway
