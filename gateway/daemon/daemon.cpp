#include "gateway/daemon/daemon.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <map>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "gateway/api/api_server.h"
#include "gateway/daemon/event_log.h"
#include "gateway/daemon/file_processor.h"
#include "gateway/daemon/oms_delivery.h"
#include "gateway/daemon/order_desk.h"
#include "gateway/daemon/outbound_renderer.h"
#include "gateway/daemon/partner_link.h"
#include "gateway/daemon/pipeline.h"
#include "spool/sqlite_spool.h"

namespace gateway::daemon {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

std::string HostName() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

constexpr std::chrono::milliseconds kIdleWait{1000};

}  // namespace

struct Daemon::Impl {
  explicit Impl(DaemonConfig c) : config(std::move(c)) {}

  struct Slot {
    std::unique_ptr<PartnerLink> link;
    std::unique_ptr<asio::steady_timer> timer;
    bool running = false;
    bool kicked = false;
  };

  DaemonConfig config;
  asio::io_context io;
  std::unique_ptr<spool::SqliteSpool> spool;
  metrics::Registry registry;
  Pipeline pipeline;
  std::mutex book_mu;
  std::shared_ptr<const PartnerBook> book;
  std::unique_ptr<OmsDelivery> delivery;
  std::unique_ptr<OrderDesk> desk;
  std::unique_ptr<api::ApiServer> api;
  std::unique_ptr<asio::thread_pool> transfers;
  std::map<std::string, Slot> slots;  // io thread only
  std::vector<std::thread> workers;
  std::unique_ptr<asio::steady_timer> deadline_timer;
  std::map<std::string, std::pair<int64_t, int64_t>> overdue_seen;  // partner -> (acks, ships)
  std::atomic<bool> ready{false};

  std::shared_ptr<const PartnerBook> Book() {
    std::lock_guard lock(book_mu);
    return book;
  }

  Status Start();
  void Stop();
  void Reload();
  void EnsureSlots();
  void Schedule(const std::string& partner, std::chrono::milliseconds after);
  void RunSlot(const std::string& partner);
  void Kick(const std::string& partner);
  void CheckDeadlines();
  void ScheduleDeadlines();
  void BreakDeadLeases();
  Status RegisterGauges();
  void FileLoop();
  void RederiveReleasedSets(FileProcessor& processor);
  void RenderLoop();
  void DeliveryLoop();
};

Daemon::Daemon(DaemonConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Daemon::~Daemon() = default;

// Worker names are "<host>:<pid>:<nonce>". A lease of this host whose process is gone, or whose
// pid is now someone else (not an edigate), or is ours but from an earlier incarnation (a
// container restarts with the same pid), belongs to a dead predecessor: break it now rather
// than wait for it to expire. Other hosts' leases expire on their own.
void Daemon::Impl::BreakDeadLeases() {
  auto owners = spool->LeaseOwners();
  if (!owners.ok()) return;
  const std::string host = HostName() + ":";
  for (const std::string& owner : *owners) {
    if (owner.rfind(host, 0) != 0 || owner == pipeline.worker) continue;
    char* end = nullptr;
    const long pid = std::strtol(owner.c_str() + host.size(), &end, 10);
    if (pid <= 0) continue;
    bool dead = pid == getpid();  // our pid, another nonce: an earlier incarnation
    if (!dead) {
      if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
        dead = true;
      } else {
        std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
        std::string name;
        std::getline(comm, name);
        dead = !comm || name != "edigate";
      }
    }
    if (!dead) continue;
    auto n = spool->BreakLeases(owner, spool::Actor::Daemon(), "process " + std::to_string(pid) + " is gone");
    if (n.ok() && *n > 0) {
      LogEvent(spdlog::level::warn, "resuming work of a previous run that stopped abruptly",
               {{"leases", static_cast<long long>(*n)}, {"owner", owner}});
    }
  }
}

Status Daemon::Impl::RegisterGauges() {
  std::vector<metrics::GaugeFamily> families = {
      {"edigate_orders_awaiting_997_overdue", "940s uploaded with no 997 past the partner's ack deadline"},
      {"edigate_orders_awaiting_945_overdue", "940s with no 945 past the partner's ship deadline"},
      {"edigate_dead_letters", "Messages dead-lettered (retry window closed or permanent failure)"},
      {"edigate_files_quarantined", "Spooled files that could not be read as X12 or XML"},
      {"edigate_messages_quarantined", "Transaction sets rejected by validation or mapping"},
      {"edigate_oldest_pending_seconds", "Age of the oldest message or file still being worked on"},
      {"edigate_spool_items", "Spooled items by kind, partner, type and state"},
      {"edigate_oms_paused", "1 while OMS deliveries are paused after an authentication failure"},
  };
  return registry.AddCollector("spool", families, [this](metrics::CollectorOutput& out) -> Status {
    auto stats = spool->GetStats();
    if (!stats.ok()) return Status(Code::kIoError, stats.status().message());
    std::map<std::string, std::array<double, 6>> per;  // overdue acks, ships, dead, qfiles, qmsgs, oldest
    std::shared_ptr<const PartnerBook> b = Book();
    for (const auto& p : b->all()) per[p->id()] = {0, 0, 0, 0, 0, 0};
    for (const spool::StatsRow& r : stats->rows) {
      const bool file = r.kind == spool::ItemKind::kFile;
      out.Gauge("edigate_spool_items", {{"kind", file ? "file" : "message"}, {"partner", r.partner}, {"type", r.type}, {"state", r.state}},
                static_cast<double>(r.count));
      auto& v = per[r.partner];
      if (!file && r.state == "dead") v[2] += static_cast<double>(r.count);
      if (file && r.state == "quarantined") v[3] += static_cast<double>(r.count);
      if (!file && r.state == "quarantined") v[4] += static_cast<double>(r.count);
    }
    for (const spool::PartnerGauges& g : stats->partners) {
      auto& v = per[g.partner];
      v[0] = static_cast<double>(g.overdue_acks);
      v[1] = static_cast<double>(g.overdue_ships);
      if (g.oldest_pending_age) v[5] = std::chrono::duration<double>(*g.oldest_pending_age).count();
    }
    for (const auto& [partner, v] : per) {
      const metrics::Labels l = {{"partner", partner}};
      out.Gauge("edigate_orders_awaiting_997_overdue", l, v[0]);
      out.Gauge("edigate_orders_awaiting_945_overdue", l, v[1]);
      out.Gauge("edigate_dead_letters", l, v[2]);
      out.Gauge("edigate_files_quarantined", l, v[3]);
      out.Gauge("edigate_messages_quarantined", l, v[4]);
      out.Gauge("edigate_oldest_pending_seconds", l, v[5]);
    }
    // Poll times live in the links, owned by the io thread; a copy is kept in the registry.
    out.Gauge("edigate_oms_paused", {}, delivery && delivery->paused_for().count() > 0 ? 1 : 0);
    return Status::Ok();
  });
}

Status Daemon::Impl::Start() {
  GATEWAY_ASSIGN_OR_RETURN(book, PartnerBook::Load(config));
  std::error_code ec;
  fs::create_directories(fs::path(config.spool_path).parent_path(), ec);
  spool::SqliteSpoolOptions so;
  so.path = config.spool_path;
  so.policies = book->Policies(config.oms);
  auto opened = spool::SqliteSpool::Open(so);
  if (!opened.ok()) return Status(Code::kIoError, "spool " + config.spool_path + ": " + opened.status().message());
  spool = std::move(*opened);

  pipeline.spool = spool.get();
  pipeline.metrics = &registry;
  pipeline.worker = HostName() + ":" + std::to_string(getpid()) + ":" +
                    std::to_string(std::random_device{}() & 0xffffff);
  pipeline.lease = config.lease;
  pipeline.book = [this] { return Book(); };
  pipeline.kick_partner = [this](const std::string& partner) { asio::post(io, [this, partner] { Kick(partner); }); };
  BreakDeadLeases();
  GATEWAY_RETURN_IF_ERROR(RegisterGauges());

  std::unique_ptr<oms::OmsClient> client;
  if (!config.oms.base_url.empty()) {
    GATEWAY_ASSIGN_OR_RETURN(client, oms::MakeOmsClient(ToOmsSettings(config.oms)));
  } else {
    LogEvent(spdlog::level::warn, "no oms.base_url configured: events are spooled but not delivered");
  }
  // A batch of 8 requests at the full timeout each, twice over, and never under two minutes.
  const auto delivery_lease = std::max<std::chrono::seconds>(
      std::chrono::minutes(2), std::chrono::duration_cast<std::chrono::seconds>(config.oms.request_timeout * 16));
  delivery = std::make_unique<OmsDelivery>(pipeline, std::move(client), delivery_lease);
  desk = std::make_unique<OrderDesk>(pipeline, [this](std::string* why) {
    if (!ready.load()) {
      *why = pipeline.stopping.load() ? "shutting down" : "starting";
      return false;
    }
    if (!delivery->configured()) {
      *why = "no OMS target configured (oms.base_url)";
      return false;
    }
    if (auto paused = delivery->paused_for(); paused.count() > 0) {
      *why = "OMS deliveries paused after an authentication failure (" + std::to_string(paused.count()) + "s left)";
      return false;
    }
    return true;
  });
  if (config.http.enabled) {
    api::ApiSettings as;
    as.address = config.http.address;
    as.port = static_cast<std::uint16_t>(config.http.port);
    as.token = config.http.token;
    as.max_body_bytes = config.http.max_body_bytes;
    api = std::make_unique<api::ApiServer>(io, as, *desk, &registry);
    GATEWAY_RETURN_IF_ERROR(api->Start());
    LogEvent(spdlog::level::info, "HTTP API listening",
             {{"address", config.http.address}, {"port", static_cast<int>(api->port())}});
  }
  transfers = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(config.transfer_workers));
  workers.emplace_back([this] { FileLoop(); });
  workers.emplace_back([this] { RenderLoop(); });
  for (int i = 0; i < config.delivery_workers; ++i) workers.emplace_back([this] { DeliveryLoop(); });
  EnsureSlots();
  deadline_timer = std::make_unique<asio::steady_timer>(io);
  ScheduleDeadlines();
  ready = true;
  LogEvent(spdlog::level::info, "edigate started",
           {{"spool", config.spool_path}, {"partners", static_cast<long long>(book->all().size())}, {"worker", pipeline.worker}});
  return Status::Ok();
}

void Daemon::Impl::EnsureSlots() {
  for (const auto& p : Book()->all()) {
    if (!p->transport) continue;
    if (auto it = slots.find(p->id()); it != slots.end()) {
      // Known already: a partner removed by an earlier reload and now back is polled again.
      if (!it->second.running) Schedule(p->id(), std::chrono::milliseconds(0));
      continue;
    }
    Slot& s = slots[p->id()];
    s.link = std::make_unique<PartnerLink>(pipeline, p->id());
    s.timer = std::make_unique<asio::steady_timer>(io);
    Schedule(p->id(), std::chrono::milliseconds(0));
  }
}

void Daemon::Impl::Schedule(const std::string& partner, std::chrono::milliseconds after) {
  auto it = slots.find(partner);
  if (it == slots.end() || pipeline.stopping.load()) return;
  it->second.timer->expires_after(after);
  it->second.timer->async_wait([this, partner](const boost::system::error_code& ec) {
    if (!ec) RunSlot(partner);
  });
}

void Daemon::Impl::RunSlot(const std::string& partner) {
  Slot& s = slots.at(partner);
  if (s.running || pipeline.stopping.load()) return;
  s.running = true;
  s.kicked = false;
  PartnerLink* link = s.link.get();
  asio::post(*transfers, [this, link, partner] {
    const CycleReport r = link->RunCycle();
    const std::int64_t polled = link->last_successful_poll();
    if (polled > 0) {
      auto g = registry.Gauge("edigate_last_successful_poll_timestamp_seconds", "Unix time of the last successful listing of the partner's folder",
                              {{"partner", partner}});
      if (g.ok()) g->Set(static_cast<double>(polled));
    }
    asio::post(io, [this, partner, more = r.more && r.status.ok()] {
      Slot& slot = slots.at(partner);
      slot.running = false;
      std::shared_ptr<const PartnerBook> b = Book();
      const Partner* p = b->Find(partner);
      if (p == nullptr || !p->transport) return;  // removed by a reload
      // A full poll means a backlog: take the next batch now, not after the interval.
      Schedule(partner, slot.kicked || more ? std::chrono::milliseconds(0)
                                    : std::chrono::duration_cast<std::chrono::milliseconds>(p->transport->poll_interval));
    });
  });
}

void Daemon::Impl::Kick(const std::string& partner) {
  auto it = slots.find(partner);
  if (it == slots.end()) return;
  if (it->second.running) {
    it->second.kicked = true;
  } else {
    Schedule(partner, std::chrono::milliseconds(0));
  }
}

void Daemon::Impl::ScheduleDeadlines() {
  deadline_timer->expires_after(config.deadline_check);
  deadline_timer->async_wait([this](const boost::system::error_code& ec) {
    if (ec || pipeline.stopping.load()) return;
    asio::post(*transfers, [this] {
      CheckDeadlines();
      asio::post(io, [this] { ScheduleDeadlines(); });
    });
  });
}

void Daemon::Impl::CheckDeadlines() {
  auto stats = spool->GetStats();
  if (!stats.ok()) return;
  for (const spool::PartnerGauges& g : stats->partners) {
    auto& seen = overdue_seen[g.partner];
    if (g.overdue_acks > seen.first) {
      pipeline.Alert(g.partner, "ack_overdue", "940s have no 997 past the ack deadline",
                     std::to_string(g.overdue_acks) + " order(s); see edigate spool list --state uploaded --partner " +
                         g.partner + " --spool " + config.spool_path);
    }
    if (g.overdue_ships > seen.second) {
      pipeline.Alert(g.partner, "ship_overdue", "940s have no 945 past the ship deadline",
                     std::to_string(g.overdue_ships) + " order(s); see edigate spool list --partner " + g.partner +
                         " --type 940 --spool " + config.spool_path);
    }
    seen = {g.overdue_acks, g.overdue_ships};
  }
}

void Daemon::Impl::FileLoop() {
  FileProcessor processor(pipeline);
  std::uint64_t seen = 0;
  while (!pipeline.stopping.load()) {
    spool::ClaimRequest claim;
    claim.kind = spool::ItemKind::kFile;
    claim.worker = pipeline.worker;
    claim.lease = config.lease;
    claim.limit = 1;
    auto leases = spool->Claim(claim);
    if (!leases.ok() || leases->empty()) {
      if (!leases.ok()) LogEvent(spdlog::level::err, "claiming files failed", {{"error", leases.status().message()}});
      RederiveReleasedSets(processor);
      seen = pipeline.files.Wait(seen, kIdleWait);
      continue;
    }
    for (const spool::Lease& l : *leases) {
      auto r = processor.Process(l.id, l.token);
      if (!r.ok()) {
        // Left leased: it is retried when the lease runs out, not in a tight loop.
        pipeline.Alert("", "file_processing_failed", "a spooled file could not be processed; retried after the lease",
                       "file " + std::to_string(l.id) + ": " + r.status().message());
      }
    }
  }
}

// Sets an operator sent back to received (release of a quarantined set, or a reprocess whose
// file is already parsed again) are mapped again from their file.
void Daemon::Impl::RederiveReleasedSets(FileProcessor& processor) {
  spool::ListFilter filter;
  filter.kind = spool::ItemKind::kMessage;
  filter.state = "received";
  filter.limit = 64;
  auto sets = spool->List(filter);
  if (!sets.ok()) return;
  std::set<spool::ItemId> files;
  for (const spool::ItemSummary& s : *sets) {
    if (s.direction == spool::Direction::kInbound && s.file_id) files.insert(*s.file_id);
  }
  for (spool::ItemId f : files) {
    auto file = spool->Get(f);
    if (!file.ok() || file->state == "received") continue;  // the file itself is due: the normal path
    auto r = processor.Rederive(f);
    if (!r.ok()) {
      pipeline.Alert(file->partner, "file_processing_failed", "released sets could not be mapped again",
                     "file " + std::to_string(f) + ": " + r.status().message());
    } else {
      LogEvent(spdlog::level::info, "released sets processed again",
               {{"partner", file->partner}, {"spool_file", std::to_string(f)}, {"mapped", r->mapped},
                {"quarantined", r->quarantined}});
    }
  }
}

void Daemon::Impl::RenderLoop() {
  OutboundRenderer renderer(pipeline);
  std::uint64_t seen = 0;
  while (!pipeline.stopping.load()) {
    spool::ClaimRequest claim;
    claim.direction = spool::Direction::kOutbound;
    claim.states = {spool::MessageState::kAccepted};
    claim.worker = pipeline.worker;
    claim.lease = std::chrono::minutes(2);
    claim.limit = 16;
    auto leases = spool->Claim(claim);
    if (!leases.ok() || leases->empty()) {
      seen = pipeline.renders.Wait(seen, kIdleWait);
      continue;
    }
    for (const spool::Lease& l : *leases) {
      if (pipeline.stopping.load()) {
        (void)spool->ReleaseLease(spool::ItemKind::kMessage, l.id, l.token);
        continue;
      }
      Status s = renderer.Render(l.id, l.token);
      if (!s.ok()) LogEvent(spdlog::level::err, "rendering failed", {{"message", std::to_string(l.id)}, {"error", s.message()}});
    }
  }
}

void Daemon::Impl::DeliveryLoop() {
  std::uint64_t seen = 0;
  while (!pipeline.stopping.load()) {
    auto n = delivery->RunOnce(8);
    if (!n.ok()) LogEvent(spdlog::level::err, "delivery round failed", {{"error", n.status().message()}});
    if (!n.ok() || *n == 0) seen = pipeline.deliveries.Wait(seen, kIdleWait);
  }
}

void Daemon::Impl::Reload() {
  auto fresh = PartnerBook::Load(config);
  if (!fresh.ok()) {
    pipeline.Alert("", "reload_failed", "reload refused; the previous partner profiles and mappings stay in use",
                   fresh.status().message());
    pipeline.Count("edigate_reloads_total", "Partner reloads (SIGHUP)", {{"result", "failed"}});
    return;
  }
  {
    std::lock_guard lock(book_mu);
    book = *fresh;
  }
  spool->SetPolicies(book->Policies(config.oms));
  EnsureSlots();
  pipeline.Count("edigate_reloads_total", "Partner reloads (SIGHUP)", {{"result", "ok"}});
  LogEvent(spdlog::level::info, "partners reloaded", {{"partners", static_cast<long long>(book->all().size())}});
}

void Daemon::Impl::Stop() {
  if (pipeline.stopping.exchange(true)) return;
  ready = false;
  LogEvent(spdlog::level::info, "stopping: finishing work in hand");
  if (api) api->Stop();
  for (auto& [id, s] : slots) s.timer->cancel();
  if (deadline_timer) deadline_timer->cancel();
  pipeline.files.Notify();
  pipeline.renders.Notify();
  pipeline.deliveries.Notify();
}

int Daemon::Run() {
  Impl& d = *impl_;
  Status s = SetupLogging(d.config.log);
  if (!s.ok()) {
    std::fprintf(stderr, "edigate run: %s\n", s.message().c_str());
    return 2;
  }
  s = d.Start();
  if (!s.ok()) {
    LogEvent(spdlog::level::critical, "cannot start", {{"error", s.message()}});
    d.Stop();
    for (auto& t : d.workers) t.join();
    if (d.transfers) d.transfers->join();
    return 2;
  }
  asio::signal_set stops(d.io, SIGTERM, SIGINT);
  std::function<void()> wait_stop = [&] {
    stops.async_wait([&](const boost::system::error_code& ec, int signo) {
      if (ec) return;
      LogEvent(spdlog::level::info, "signal received", {{"signal", signo}});
      d.Stop();
    });
  };
  wait_stop();
  asio::signal_set hups(d.io, SIGHUP);
  std::function<void()> wait_hup = [&] {
    hups.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec || d.pipeline.stopping.load()) return;
      d.Reload();
      wait_hup();
    });
  };
  wait_hup();
  // Run until stopping, then drain: the io loop keeps serving the posts of finishing cycles.
  while (!d.pipeline.stopping.load()) {
    d.io.run_for(std::chrono::milliseconds(200));
    if (d.io.stopped()) d.io.restart();
  }
  hups.cancel();
  stops.cancel();
  for (auto& t : d.workers) t.join();
  d.transfers->join();
  d.io.restart();
  d.io.poll();
  LogEvent(spdlog::level::info, "stopped");
  spdlog::default_logger()->flush();
  return 0;
}

}  // namespace gateway::daemon
