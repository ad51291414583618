#include "gateway/daemon/partner_link.h"

#include <thread>

#include "gateway/daemon/byte_pipe.h"
#include "gateway/daemon/crash_point.h"
#include "gateway/daemon/event_log.h"
#include "gateway/transport/remote_path.h"

namespace gateway::daemon {

namespace {

constexpr std::chrono::seconds kMaxBackoff{300};

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir == ".") return name;
  return dir + "/" + name;
}

// The pipe's consumer side as a spool::ByteSource that also checks the byte count: a file
// that is shorter or longer than its listing changed while we read it, and is not committed.
class CheckedSource final : public spool::ByteSource {
 public:
  CheckedSource(BytePipe& pipe, std::uint64_t expected) : pipe_(pipe), expected_(expected) {}
  spool::Result<std::size_t> Read(std::span<char> buf) override {
    auto r = pipe_.Read(buf.data(), buf.size());
    if (!r.ok()) return spool::Status(spool::Code::kIoError, r.status().message());
    total_ += *r;
    if (*r == 0 && total_ != expected_) {
      return spool::Status(spool::Code::kIoError, "read " + std::to_string(total_) + " bytes but the listing said " +
                                                      std::to_string(expected_) + ": the file changed while we read it");
    }
    if (total_ > expected_) {
      return spool::Status(spool::Code::kIoError, "the file grew while we read it (listing said " + std::to_string(expected_) + " bytes)");
    }
    return *r;
  }

 private:
  BytePipe& pipe_;
  std::uint64_t expected_;
  std::uint64_t total_ = 0;
};

class PipeWriter final : public transport::ByteSink {
 public:
  explicit PipeWriter(BytePipe& pipe) : pipe_(pipe) {}
  Status Write(std::string_view data) override {
    Status s = pipe_.Write(data);
    CrashPoint("download");
    return s;
  }

 private:
  BytePipe& pipe_;
};

class StringReader final : public transport::ByteSource {
 public:
  explicit StringReader(std::string_view data) : data_(data) {}
  Result<std::size_t> Read(std::span<char> buf) override {
    const std::size_t k = std::min(buf.size(), data_.size() - pos_);
    std::memcpy(buf.data(), data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

bool Disconnects(const Status& s) {
  return s.code() == Code::kTimeout || s.code() == Code::kUnavailable || s.code() == Code::kHostKeyRejected ||
         s.code() == Code::kAuthFailed;
}

}  // namespace

PartnerLink::PartnerLink(Pipeline& pipeline, std::string partner_id) : p_(pipeline), partner_(std::move(partner_id)) {}

PartnerLink::~PartnerLink() {
  if (dir_) dir_->Close();
}

void PartnerLink::Drop(const Status& why) {
  if (dir_) dir_->Close();
  dir_.reset();
  dir_for_ = nullptr;
  dir_book_.reset();
  backoff_ = backoff_.count() == 0 ? std::chrono::seconds(1) : std::min(backoff_ * 2, kMaxBackoff);
  // Jitter (up to a quarter) so partners that failed together do not reconnect together.
  std::uniform_int_distribution<long> jitter(0, std::max<long>(backoff_.count() * 250, 1));
  next_connect_ = std::chrono::steady_clock::now() + backoff_ + std::chrono::milliseconds(jitter(rng_));
  (void)why;
}

Status PartnerLink::EnsureConnected(const Partner& partner) {
  const PartnerTransport& t = *partner.transport;
  if (dir_ && dir_for_ == &t && dir_->IsConnected()) return dir_->KeepAlive();
  if (dir_) Drop(Status::Ok());
  if (std::chrono::steady_clock::now() < next_connect_) {
    return Status(Code::kUnavailable, "reconnecting after a failure (backoff)");
  }
  auto dir = t.Open();
  Status s = dir->Connect();
  if (!s.ok()) {
    Drop(s);
    if (s.code() == Code::kHostKeyRejected) {
      p_.Alert(partner_, "host_key_rejected", "the partner's host key does not match: connection refused, nothing transferred", s.message());
    } else if (s.code() == Code::kAuthFailed) {
      p_.Alert(partner_, "sftp_auth_failed", "the partner's server refused our credentials", s.message());
    } else {
      LogEvent(spdlog::level::warn, "cannot connect to the partner", {{"partner", partner_}, {"error", s.message()}, {"retry_in_s", backoff_.count()}});
    }
    p_.Count("edigate_transport_connect_failures_total", "Failed connections to partner folders",
             {{"partner", partner_}, {"reason", CodeName(s.code())}});
    return s;
  }
  backoff_ = std::chrono::seconds(0);
  if (dir_for_ != &t || !selector_) selector_ = std::make_unique<transport::InboundSelector>(t.rules);
  dir_ = std::move(dir);
  dir_for_ = &t;
  LogEvent(spdlog::level::info, "connected", {{"partner", partner_}, {"remote", dir_->Describe()}});
  SweepTempFiles(t);
  return Status::Ok();
}

void PartnerLink::SweepTempFiles(const PartnerTransport& t) {
  std::set<std::string> dirs;
  for (const std::string& d : {t.outbound_dir, t.ack_dir}) {
    if (!d.empty()) dirs.insert(d);
  }
  for (const std::string& d : dirs) {
    auto entries = dir_->List(d);
    if (!entries.ok()) continue;  // a missing folder is made at the first upload
    for (const transport::RemoteEntry& e : *entries) {
      if (!e.is_regular || !transport::IsTempName(e.name)) continue;
      const std::string path = Join(d, e.name);
      if (dir_->Remove(path).ok()) {
        LogEvent(spdlog::level::info, "removed the temporary file of an interrupted upload",
                 {{"partner", partner_}, {"file", path}});
      }
    }
  }
}

CycleReport PartnerLink::RunCycle() {
  CycleReport report;
  std::shared_ptr<const PartnerBook> book = p_.book();
  const Partner* partner = book->Find(partner_);
  if (partner == nullptr || !partner->transport) return report;
  report.status = EnsureConnected(*partner);
  if (!report.status.ok()) return report;
  dir_book_ = book;  // the transport settings dir_ points at stay alive with the book
  report.connected = true;
  Status s = UploadDue(*partner, report);
  if (s.ok()) s = ReturnRejected(*partner);
  if (s.ok()) s = Poll(*partner, report);
  if (!s.ok()) {
    report.status = s;
    LogEvent(spdlog::level::warn, "partner cycle failed", {{"partner", partner_}, {"error", s.message()}});
    if (Disconnects(s)) Drop(s);
  }
  return report;
}

Status PartnerLink::UploadDue(const Partner& partner, CycleReport& report) {
  for (;;) {
    if (p_.stopping.load()) return Status::Ok();
    spool::ClaimRequest claim;
    claim.direction = spool::Direction::kOutbound;
    claim.states = {spool::MessageState::kRendered};
    claim.partner = partner_;
    claim.worker = p_.worker;
    // Eight uploads at the full I/O timeout each, twice over, fit in the lease.
    claim.lease = std::max<std::chrono::seconds>(
        std::chrono::minutes(5),
        std::chrono::duration_cast<std::chrono::seconds>(partner.transport->sftp.io_timeout * 16));
    claim.limit = 8;
    auto leases = p_.spool->Claim(claim);
    if (!leases.ok()) return Status(Code::kIoError, leases.status().message());
    if (leases->empty()) return Status::Ok();
    for (size_t i = 0; i < leases->size(); ++i) {
      const spool::Lease& l = (*leases)[i];
      Status s = p_.stopping.load() ? Status(Code::kUnavailable, "stopping") : UploadOne(partner, l, report);
      if (!s.ok()) {
        for (size_t j = i + 1; j < leases->size(); ++j) {
          (void)p_.spool->ReleaseLease(spool::ItemKind::kMessage, (*leases)[j].id, (*leases)[j].token);
        }
        return p_.stopping.load() ? Status::Ok() : s;
      }
    }
  }
}

Status PartnerLink::UploadOne(const Partner& partner, const spool::Lease& lease, CycleReport& report) {
  const PartnerTransport& t = *partner.transport;
  auto item = p_.spool->Get(lease.id);
  if (!item.ok()) return Status(Code::kIoError, item.status().message());
  auto bytes = p_.spool->RenderedBytes(lease.id);
  if (!bytes.ok()) return Status(Code::kIoError, bytes.status().message());
  const std::string type = item->type.value_or("x12");
  const bool ack = type == "997" || type == "TA1";
  const std::string dir = ack && !t.ack_dir.empty() ? t.ack_dir : t.outbound_dir;
  // {time} is the message's creation time, not now: a retried upload must get the same name
  // (and so find its own earlier copy instead of making a second one).
  const std::string name = UploadName(t.upload_name, partner_, type, item->control_numbers.isa13, lease.id,
                                      std::chrono::time_point_cast<std::chrono::system_clock::duration>(item->created_at));
  const std::string path = Join(dir, name);
  auto fail = [&](const Status& s, bool permanent) -> Status {
    spool::FailureReport f;
    f.id = lease.id;
    f.lease_token = lease.token;
    f.permanent = permanent;
    f.reason = "upload " + path + ": " + s.message();
    auto d = p_.spool->RecordFailure(f);
    if (d.ok() && d->dead) p_.Alert(partner_, "dead_letter", "outbound file could not be delivered to the partner", f.reason);
    return s;
  };
  StringReader source(*bytes);
  auto written = dir_->Write(path, source);
  if (!written.ok() && written.status().code() == Code::kNotFound) {
    // The folder is missing: create it once and try again.
    if (dir_->MakeDirs(dir).ok()) {
      StringReader again(*bytes);
      written = dir_->Write(path, again);
    }
  }
  if (!written.ok()) {
    if (written.status().code() == Code::kAlreadyExists) {
      // Our own earlier upload that crashed before it was recorded has this very name (the
      // name carries the control number): same size, so it is ours. Anything else is a clash
      // a human must look at; we never overwrite.
      auto st = dir_->Stat(path);
      if (!st.ok() || st->size != bytes->size()) {
        p_.Alert(partner_, "upload_name_clash", "a different file already has our upload name", path);
        (void)fail(written.status(), false);
        return Status::Ok();
      }
    } else {
      (void)fail(written.status(), false);
      return Disconnects(written.status()) ? written.status() : Status::Ok();
    }
  }
  CrashPoint("after_upload");
  spool::MessageTransition done;
  done.id = lease.id;
  done.lease_token = lease.token;
  done.from = spool::MessageState::kRendered;
  done.to = spool::MessageState::kUploaded;
  done.reason = "uploaded to " + path + " (" + std::to_string(bytes->size()) + " bytes)";
  spool::Status s = p_.spool->Transition(std::span(&done, 1));
  if (!s.ok()) return Status(Code::kIoError, s.message());
  ++report.uploaded;
  p_.Count("edigate_files_uploaded_total", "Files put in partner folders", {{"partner", partner_}, {"type", type}});
  LogEvent(spdlog::level::info, "uploaded",
           {{"partner", partner_}, {"message", std::to_string(lease.id)}, {"type", type}, {"file", path},
            {"isa13", item->control_numbers.isa13}, {"gs06", item->control_numbers.gs06}, {"st02", item->control_numbers.st02}});
  return Status::Ok();
}

Status PartnerLink::ReturnRejected(const Partner& partner) {
  const PartnerTransport& t = *partner.transport;
  std::vector<spool::ItemId> ids = p_.TakeReturns(partner_);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (t.error_dir.empty()) break;
    auto item = p_.spool->Get(ids[i]);
    spool::StringSink bytes;
    if (!item.ok() || !p_.spool->ReadFile(ids[i], bytes).ok()) continue;
    std::string name = item->remote_path.value_or("file-" + std::to_string(ids[i]));
    if (auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
    StringReader source(bytes.out);
    std::string path = Join(t.error_dir, name);
    auto w = dir_->Write(path, source);
    if (!w.ok() && w.status().code() == Code::kNotFound && dir_->MakeDirs(t.error_dir).ok()) {
      StringReader again(bytes.out);
      w = dir_->Write(path, again);
    }
    if (!w.ok() && w.status().code() == Code::kAlreadyExists) {
      path = Join(t.error_dir, name + "." + std::to_string(ids[i]));
      StringReader again(bytes.out);
      w = dir_->Write(path, again);
    }
    if (!w.ok()) {
      // Put the rest back for the next cycle.
      for (size_t j = i; j < ids.size(); ++j) p_.ReturnToPartner(partner_, ids[j]);
      return Disconnects(w.status()) ? w.status() : Status::Ok();
    }
    LogEvent(spdlog::level::info, "rejected file copied to the partner's error folder",
             {{"partner", partner_}, {"spool_file", std::to_string(ids[i])}, {"file", path}});
  }
  return Status::Ok();
}

Status PartnerLink::Poll(const Partner& partner, CycleReport& report) {
  const PartnerTransport& t = *partner.transport;
  auto listing = dir_->List(t.inbound_dir);
  if (!listing.ok()) return listing.status();
  last_poll_ = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (t.after_download == AfterDownload::kLeave) {
    // Files we already took stay in the folder: hide them from the selector.
    std::vector<transport::RemoteEntry> fresh;
    for (const auto& e : *listing) {
      if (!left_.count({e.name, e.size, e.mtime})) fresh.push_back(e);
    }
    *listing = std::move(fresh);
  }
  const auto ready = selector_->Select(*listing, std::chrono::system_clock::now());
  report.more = ready.size() >= t.rules.max_files_per_poll;
  for (const transport::ReadyFile& f : ready) {
    if (p_.stopping.load()) break;
    GATEWAY_RETURN_IF_ERROR(TakeFile(partner, f, report));
  }
  return Status::Ok();
}

Status PartnerLink::TakeFile(const Partner& partner, const transport::ReadyFile& f, CycleReport& report) {
  const PartnerTransport& t = *partner.transport;
  const std::string path = Join(t.inbound_dir, f.entry.name);
  spool::IngestRequest req;
  req.partner = partner_;
  req.origin.remote_path = path;
  req.origin.remote_size = static_cast<int64_t>(f.entry.size);
  req.origin.remote_mtime = spool::Timestamp(std::chrono::seconds(f.entry.mtime));
  BytePipe pipe;
  transport::RemoteDir* dir = dir_.get();
  Status download;
  spool::Result<spool::IngestResult> ingested = spool::Status(spool::Code::kInternal, "not run");
  {
    Pump pump(pipe, [&](BytePipe& out) -> Status {
      PipeWriter w(out);
      auto n = dir->Read(path, w);
      return n.ok() ? Status::Ok() : n.status();
    });
    CheckedSource source(pipe, f.entry.size);
    ingested = p_.spool->IngestFile(req, source);
    if (!ingested.ok()) pipe.Abandon(ingested.status().message());
    download = pump.Join();
  }
  if (!download.ok()) {
    LogEvent(spdlog::level::warn, "download failed; the file stays where it is and is tried again",
             {{"partner", partner_}, {"file", path}, {"error", download.message()}});
    selector_->Forget(f.entry.name);
    return Disconnects(download) ? download : Status::Ok();
  }
  if (!ingested.ok()) {
    selector_->Forget(f.entry.name);
    LogEvent(spdlog::level::warn, "not spooled; the file stays where it is and is tried again",
             {{"partner", partner_}, {"file", path}, {"error", ingested.status().message()}});
    return Status::Ok();
  }
  // Durably in the spool: only now may the partner's copy go.
  CrashPoint("after_spool_commit");
  const spool::IngestResult& r = *ingested;
  if (r.duplicate_of) {
    ++report.duplicates;
    LogEvent(spdlog::level::warn, "duplicate file: recorded, not processed again",
             {{"partner", partner_}, {"file", path}, {"spool_file", std::to_string(r.id)},
              {"duplicate_of", std::to_string(*r.duplicate_of)}, {"sha256", r.sha256}});
  } else {
    ++report.downloaded;
    p_.files.Notify();
    LogEvent(spdlog::level::info, "file received",
             {{"partner", partner_}, {"file", path}, {"spool_file", std::to_string(r.id)}, {"bytes", r.size}, {"sha256", r.sha256}});
  }
  p_.Count("edigate_files_received_total", "Files taken from partner folders into the spool",
           {{"partner", partner_}, {"duplicate", r.duplicate_of ? "true" : "false"}});
  Status after = AfterTaken(t, f.entry.name, f.done_file);
  selector_->Forget(f.entry.name);
  if (t.after_download == AfterDownload::kLeave) left_.insert({f.entry.name, f.entry.size, f.entry.mtime});
  if (!after.ok()) {
    LogEvent(spdlog::level::warn, "spooled, but could not archive/remove the partner's copy",
             {{"partner", partner_}, {"file", path}, {"error", after.message()}});
    return Disconnects(after) ? after : Status::Ok();
  }
  return Status::Ok();
}

Status PartnerLink::AfterTaken(const PartnerTransport& t, const std::string& name, const std::optional<std::string>& done_file) {
  std::vector<std::string> names = {name};
  if (done_file) names.push_back(*done_file);
  for (const std::string& n : names) {
    const std::string from = Join(t.inbound_dir, n);
    switch (t.after_download) {
      case AfterDownload::kLeave:
        break;
      case AfterDownload::kDelete:
        GATEWAY_RETURN_IF_ERROR(dir_->Remove(from));
        break;
      case AfterDownload::kArchive: {
        std::string to = Join(t.archive_dir, n);
        Status s = dir_->Rename(from, to);
        if (s.code() == Code::kNotFound) {
          GATEWAY_RETURN_IF_ERROR(dir_->MakeDirs(t.archive_dir));
          s = dir_->Rename(from, to);
        }
        if (s.code() == Code::kAlreadyExists) {
          // The partner sent the same name again: keep both copies.
          const auto stamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
          to = Join(t.archive_dir, n + "." + std::to_string(stamp));
          s = dir_->Rename(from, to);
        }
        GATEWAY_RETURN_IF_ERROR(s);
        break;
      }
    }
  }
  return Status::Ok();
}

}  // namespace gateway::daemon
