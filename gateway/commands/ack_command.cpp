// edigate ack [--out DIR] [--sender QUAL:ID] FILE
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "edi/ack.h"
#include "edi/tee_sink.h"
#include "edi/x12_time.h"
#include "edi/byte_source.h"
#include "edi/validator.h"
#include "gateway/commands/args.h"
#include "gateway/commands/command.h"

namespace gateway {

namespace {

constexpr const char* kAckUsage =
    "usage: edigate ack [--out DIR] [--sender QUAL:ID] [--control N] FILE\n"
    "  prints the 997s (and TA1s) edigate would send for FILE, each addressed back to the\n"
    "  sender of the interchange it answers; --out writes one file per acknowledgment\n";

// Prints errors of the inbound file on stderr so an operator sees why it was rejected.
class RejectionLog final : public edi::ValidationSink {
 public:
  RejectionLog(std::ostream& err, std::string file) : err_(err), file_(std::move(file)) {}
  void OnFileError(const edi::Error& e) override { err_ << file_ << ": " << e.Describe() << '\n'; }
  void OnInterchangeEnd(const edi::InterchangeResult& ix) override {
    if (ix.ta1_status == 'R') {
      err_ << file_ << ": interchange " << ix.info.control << " rejected (TA1 " << ix.ta1_code << ")\n";
    }
  }
  void OnSetEnd(const edi::SetResult& s) override {
    if (s.status == 'R') err_ << file_ << ": set " << s.info.id << " " << s.info.control << " rejected\n";
  }

 private:
  std::ostream& err_;
  std::string file_;
};



}  // namespace

int RunAckCommand(const CommandArgs& argv, CommandIo io) {
  Args args(argv, {"--out", "--sender", "--control"}, {"--help"});
  if (!args.ok() || args.Has("--help") || args.positional().size() != 1) {
    if (!args.ok()) io.err << "edigate ack: " << args.error() << '\n';
    (args.Has("--help") ? io.out : io.err) << kAckUsage;
    return args.Has("--help") ? kExitOk : kExitUsage;
  }
  edi::AckOptions options;
  if (auto sender = args.Value("--sender")) {
    const size_t colon = sender->find(':');
    if (colon != 2 || sender->size() < 4 || sender->size() > 18) {
      io.err << "edigate ack: --sender takes QUAL:ID, e.g. ZZ:OMSGATEWAY\n";
      return kExitUsage;
    }
    options.sender_qualifier = sender->substr(0, 2);
    options.sender_id = sender->substr(3);
  }
  uint64_t control = 1;
  if (auto c = args.Value("--control")) {
    try {
      control = std::stoull(*c);
    } catch (const std::exception&) {
      io.err << "edigate ack: --control needs a number\n";
      return kExitUsage;
    }
  }
  // Control numbers here are for display; the daemon allocates them from the spool.
  options.envelope = [&control, stamp = edi::StampOf(std::time(nullptr))](const edi::InterchangeInfo&) {
    edi::AckEnvelope env;
    env.interchange_control = control;
    env.group_control = control;
    env.set_control = 1;
    env.date = stamp.date;
    env.time = stamp.time;
    ++control;
    return env;
  };

  const std::string& path = args.positional()[0];
  auto source = edi::FileSource::Open(path);
  if (!source.ok()) {
    io.err << "edigate ack: " << source.error().message << '\n';
    return kExitUsage;
  }
  edi::AckBuilder builder(options);
  RejectionLog log(io.err, path);
  edi::TeeSink tee{&builder, &log};
  const edi::FileSummary summary = edi::Validate(**source, tee);
  std::vector<edi::Acknowledgment> acks = builder.Take();
  if (summary.not_x12) {
    io.err << "edigate ack: " << path << " is not X12; there is nothing to acknowledge\n";
    return kExitRejected;
  }
  std::optional<std::filesystem::path> out_dir;
  if (auto dir = args.Value("--out")) {
    out_dir = *dir;
    std::error_code ec;
    std::filesystem::create_directories(*out_dir, ec);
    if (ec) {
      io.err << "edigate ack: cannot create " << *dir << ": " << ec.message() << '\n';
      return kExitUsage;
    }
  }
  const std::string stem = std::filesystem::path(path).filename().string();
  for (size_t i = 0; i < acks.size(); ++i) {
    const edi::Acknowledgment& a = acks[i];
    if (!a.status.ok()) {
      io.err << "edigate ack: cannot write the acknowledgment of interchange "
             << a.interchange_index + 1 << ": " << a.status.error().message << '\n';
      return kExitUsage;
    }
    if (!out_dir) {
      io.out << a.bytes;
      continue;
    }
    const std::filesystem::path file = *out_dir / (stem + "." + std::to_string(i + 1) + ".997");
    std::ofstream f(file, std::ios::binary | std::ios::trunc);
    f << a.bytes;
    f.close();
    if (!f) {
      io.err << "edigate ack: cannot write " << file.string() << '\n';
      return kExitUsage;
    }
    io.out << file.string() << " -> " << a.to << " (" << a.group_acks << " 997"
           << (a.ta1 ? ", TA1" : "") << ")\n";
  }
  return summary.ok ? kExitOk : kExitRejected;
}

}  // namespace gateway
