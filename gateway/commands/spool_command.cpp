// `edigate spool ...`: operate the spool (DESIGN.md, "Spool"; docs/spool.md).
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <ostream>
#include <set>

#include "gateway/commands/args.h"
#include "gateway/commands/command.h"
#include "gateway/daemon/interchange_ack.h"
#include "gateway/spool_cli/item_format.h"
#include "spool/sqlite_spool.h"

namespace gateway {

namespace {

constexpr const char* kSpoolUsage =
    "usage: edigate spool <command> --spool PATH [options]\n"
    "\n"
    "commands:\n"
    "  ingest --partner P [--remote-path X] FILE   store a file that arrived another way\n"
    "  list [--state S] [--partner P] [--type T] [--kind file|message] [--since TIME] [--limit N]\n"
    "       [--direction inbound|outbound] [--isa13 N]   messages by direction or interchange\n"
    "  show ID                                     the item and its audit history\n"
    "  replay ID --mode redeliver|reprocess|resend|rebuild [--dry-run] [--force --reason TEXT]\n"
    "  release ID [--reason TEXT]                  dead or quarantined back to due now\n"
    "  purge --older-than DAYS                     delete delivered items older than DAYS\n"
    "  stats                                       counts per state, partner, type; oldest pending\n"
    "\n"
    "common options: --json (one object per line), --actor NAME (default: your login name)\n"
    "TIME: 2026-11-20, 2026-11-20T14:32:00Z, or an age such as 90m, 36h, 7d\n"
    "exit codes: 0 ok, 1 rejected or invalid, 2 usage or environment error\n";

int ExitFor(const spool::Status& st) {
  switch (st.code()) {
    case spool::Code::kOk: return kExitOk;
    case spool::Code::kInvalidArgument:
    case spool::Code::kNotFound:
    case spool::Code::kIllegalTransition:
    case spool::Code::kRejected:
    case spool::Code::kLeaseLost:
      return kExitRejected;
    default:
      return kExitUsage;
  }
}

std::string LoginName() {
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr) return pw->pw_name;
  return "uid" + std::to_string(::geteuid());
}

class SpoolCommand {
 public:
  SpoolCommand(const Args& args, CommandIo io, spool::Spool& sp, const spool::Clock& clock)
      : args_(args), io_(io), sp_(sp), clock_(clock), json_(args.Has("--json")) {}

  int Run(const std::string& verb) {
    if (verb == "ingest") return Ingest();
    if (verb == "list") return List();
    if (verb == "show") return Show();
    if (verb == "replay") return Replay();
    if (verb == "release") return Release();
    if (verb == "purge") return Purge();
    if (verb == "stats") return Stats();
    return Usage("unknown spool command '" + verb + "'");
  }

 private:
  int Usage(const std::string& message) {
    io_.err << "edigate spool: " << message << "\n" << kSpoolUsage;
    return kExitUsage;
  }
  int Fail(const spool::Status& st) {
    io_.err << "edigate spool: " << st.ToString() << "\n";
    return ExitFor(st);
  }
  spool::Actor ActorArg() const { return spool::Actor::Operator(args_.ValueOr("--actor", LoginName())); }

  std::optional<spool::ItemId> IdArg() {
    if (args_.positional().size() != 1) return std::nullopt;
    char* end = nullptr;
    const std::string& s = args_.positional()[0];
    const long long id = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || id <= 0) return std::nullopt;
    return id;
  }

  int Ingest() {
    const auto partner = args_.Value("--partner");
    if (!partner || partner->empty() || args_.positional().size() != 1) {
      return Usage("ingest needs --partner P and exactly one FILE");
    }
    const std::string& path = args_.positional()[0];
    spool::PosixFileSystem fs;
    auto file = fs.OpenForRead(path);
    if (!file.ok()) return Fail(file.status());
    spool::FileSource source(std::move(file).value());
    spool::IngestRequest req;
    req.partner = *partner;
    req.origin.remote_path = args_.ValueOr("--remote-path", path);
    req.actor = ActorArg();
    auto r = sp_.IngestFile(req, source);
    if (!r.ok()) return Fail(r.status());
    if (json_) {
      io_.out << nlohmann::json{{"id", r->id},
                                {"kind", "file"},
                                {"partner", *partner},
                                {"state", std::string(spool::Name(r->state))},
                                {"sha256", r->sha256},
                                {"size", r->size},
                                {"duplicate_of", r->duplicate_of ? nlohmann::json(*r->duplicate_of)
                                                                 : nlohmann::json(nullptr)},
                                {"duplicate_action", std::string(spool::Name(r->action))}}
                     .dump()
              << "\n";
    } else {
      io_.out << "file " << r->id << " " << spool::Name(r->state) << ": " << r->size
              << " bytes, sha256 " << r->sha256;
      if (r->duplicate_of) {
        io_.out << "; duplicate of file " << *r->duplicate_of << " (" << spool::Name(r->action) << ")";
      }
      io_.out << "\n";
    }
    if (r->action == spool::DuplicateAction::kRejected) {
      io_.err << "edigate spool: rejected: duplicate of file " << *r->duplicate_of << "\n";
      return kExitRejected;
    }
    return kExitOk;
  }

  int List() {
    if (!args_.positional().empty()) return Usage("list takes no positional arguments");
    spool::ListFilter f;
    f.state = args_.Value("--state");
    f.partner = args_.Value("--partner");
    f.type = args_.Value("--type");
    if (auto kind = args_.Value("--kind")) {
      f.kind = spool::ParseItemKind(*kind);
      if (!f.kind) return Usage("--kind is file or message");
    }
    if (auto since = args_.Value("--since")) {
      f.since = spool_cli::ParseTime(*since, clock_.Now());
      if (!f.since) return Usage("cannot read --since '" + *since + "'");
    }
    if (auto limit = args_.Value("--limit")) f.limit = std::atoll(limit->c_str());
    if (auto direction = args_.Value("--direction")) {
      f.direction = spool::ParseDirection(*direction);
      if (!f.direction) return Usage("--direction is inbound or outbound");
    }
    // As a TA1 or 997 names it: 123 finds our ISA13 000000123.
    if (auto isa13 = args_.Value("--isa13")) f.isa13 = daemon::OurInterchangeControl(*isa13);
    if (f.direction || f.isa13) {
      if (f.kind == spool::ItemKind::kFile) return Usage("--direction and --isa13 select messages, not files");
      f.kind = spool::ItemKind::kMessage;
    }
    auto items = sp_.List(f);
    if (!items.ok()) return Fail(items.status());
    for (const spool::ItemSummary& it : *items) {
      io_.out << (json_ ? spool_cli::ItemJson(it).dump() : spool_cli::ItemLine(it)) << "\n";
    }
    return kExitOk;
  }

  int Show() {
    const auto id = IdArg();
    if (!id) return Usage("show needs one item ID");
    auto item = sp_.Get(*id);
    if (!item.ok()) return Fail(item.status());
    auto history = sp_.History(*id);
    if (!history.ok()) return Fail(history.status());
    if (json_) {
      nlohmann::json j = spool_cli::ItemJson(*item);
      j["history"] = nlohmann::json::array();
      for (const auto& e : *history) j["history"].push_back(spool_cli::EventJson(e));
      io_.out << j.dump() << "\n";
      return kExitOk;
    }
    io_.out << spool::Name(item->kind) << " " << item->id << "\n" << spool_cli::ItemDetails(*item)
            << "history:\n";
    for (const auto& e : *history) io_.out << "  " << spool_cli::EventLine(e) << "\n";
    return kExitOk;
  }

  int Replay() {
    const auto id = IdArg();
    if (!id) return Usage("replay needs one item ID");
    const auto mode_text = args_.Value("--mode");
    if (!mode_text) return Usage("replay needs --mode redeliver|reprocess|resend|rebuild");
    const auto mode = spool::ParseReplayMode(*mode_text);
    if (!mode) return Usage("unknown replay mode '" + *mode_text + "'");
    spool::ReplayRequest r;
    r.id = *id;
    r.mode = *mode;
    r.dry_run = args_.Has("--dry-run");
    r.force = args_.Has("--force");
    r.reason = args_.ValueOr("--reason", "");
    r.actor = ActorArg();
    auto outcome = sp_.Replay(r);
    if (!outcome.ok()) return Fail(outcome.status());
    return PrintMove(*id, "replay " + *mode_text, *outcome, r.dry_run);
  }

  int Release() {
    const auto id = IdArg();
    if (!id) return Usage("release needs one item ID");
    auto outcome = sp_.Release(*id, ActorArg(), args_.ValueOr("--reason", ""));
    if (!outcome.ok()) return Fail(outcome.status());
    return PrintMove(*id, "release", *outcome, false);
  }

  int PrintMove(spool::ItemId id, const std::string& what, const spool::ReplayOutcome& o, bool dry) {
    if (json_) {
      io_.out << nlohmann::json{{"id", id},        {"kind", std::string(spool::Name(o.kind))},
                                {"action", what},  {"from", o.from},
                                {"to", o.to},      {"applied", o.applied},
                                {"dry_run", dry}}
                     .dump()
              << "\n";
    } else {
      io_.out << (dry ? "would move " : "moved ") << spool::Name(o.kind) << " " << id << " "
              << o.from << " -> " << o.to << " (" << what << ")\n";
    }
    return kExitOk;
  }

  int Purge() {
    const auto days_text = args_.Value("--older-than");
    if (!days_text) return Usage("purge needs --older-than DAYS");
    char* end = nullptr;
    const long long days = std::strtoll(days_text->c_str(), &end, 10);
    if (days_text->empty() || *end != '\0' || days < 0) return Usage("--older-than takes whole days");
    auto r = sp_.Purge(clock_.Now() - std::chrono::hours(24 * days), ActorArg());
    if (!r.ok()) return Fail(r.status());
    if (json_) {
      io_.out << nlohmann::json{{"files", r->files}, {"messages", r->messages},
                                {"events", r->events}, {"blobs", r->blobs}}
                     .dump()
              << "\n";
    } else {
      io_.out << "purged " << r->files << " files, " << r->messages << " messages, " << r->events
              << " events, " << r->blobs << " blobs\n";
    }
    return kExitOk;
  }

  int Stats() {
    auto s = sp_.GetStats();
    if (!s.ok()) return Fail(s.status());
    if (json_) {
      io_.out << spool_cli::StatsJson(*s).dump() << "\n";
      return kExitOk;
    }
    for (const spool::StatsRow& r : s->rows) {
      io_.out << spool::Name(r.kind) << "  " << r.partner << "  " << (r.type.empty() ? "-" : r.type)
              << "  " << r.state << "  " << r.count << "\n";
    }
    io_.out << "oldest pending: ";
    if (s->oldest_pending_age) {
      io_.out << std::chrono::duration_cast<std::chrono::seconds>(*s->oldest_pending_age).count() << "s\n";
    } else {
      io_.out << "none\n";
    }
    io_.out << "overdue 997s: " << s->overdue_acks << ", overdue 945s: " << s->overdue_ships << "\n";
    return kExitOk;
  }

  const Args& args_;
  CommandIo io_;
  spool::Spool& sp_;
  const spool::Clock& clock_;
  bool json_;
};

}  // namespace

int RunSpoolCommand(const CommandArgs& argv, CommandIo io) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    (argv.empty() ? io.err : io.out) << kSpoolUsage;
    return argv.empty() ? kExitUsage : kExitOk;
  }
  const std::string verb = argv[0];
  static const std::set<std::string> kVerbs = {"ingest", "list",  "show", "replay",
                                               "release", "purge", "stats"};
  if (kVerbs.count(verb) == 0) {
    io.err << "edigate spool: unknown spool command '" << verb << "'\n" << kSpoolUsage;
    return kExitUsage;
  }
  const Args args(CommandArgs(argv.begin() + 1, argv.end()),
                  {"--spool", "--partner", "--remote-path", "--state", "--type", "--kind",
                   "--since", "--limit", "--mode", "--reason", "--actor", "--older-than", "--direction", "--isa13"},
                  {"--json", "--dry-run", "--force"});
  if (!args.ok()) {
    io.err << "edigate spool " << verb << ": " << args.error() << "\n" << kSpoolUsage;
    return kExitUsage;
  }
  const auto path = args.Value("--spool");
  if (!path || path->empty()) {
    io.err << "edigate spool " << verb << ": --spool PATH is required\n" << kSpoolUsage;
    return kExitUsage;
  }
  spool::SystemClock clock;
  spool::SqliteSpoolOptions options;
  options.path = *path;
  options.clock = &clock;
  auto sp = spool::SqliteSpool::Open(options);
  if (!sp.ok()) {
    io.err << "edigate spool: cannot open the spool: " << sp.status().ToString() << "\n";
    return kExitUsage;
  }
  return SpoolCommand(args, io, **sp, clock).Run(verb);
}

}  // namespace gateway
