#include "gateway/daemon/partner_book.h"

#include <algorithm>
#include <filesystem>

namespace gateway::daemon {

namespace {

namespace fs = std::filesystem;

spool::DuplicatePolicy ToSpool(partners::DuplicateAction a) {
  switch (a) {
    case partners::DuplicateAction::kReject: return spool::DuplicatePolicy::kReject;
    case partners::DuplicateAction::kWarn: return spool::DuplicatePolicy::kSkip;
    case partners::DuplicateAction::kAllow: return spool::DuplicatePolicy::kAllow;
  }
  return spool::DuplicatePolicy::kSkip;
}

}  // namespace

Result<std::shared_ptr<const PartnerBook>> PartnerBook::Load(const DaemonConfig& config) {
  auto book = std::make_shared<PartnerBook>();
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(config.gateway.partners_dir, ec)) {
    if (e.path().extension() == ".yaml" || e.path().extension() == ".yml") files.push_back(e.path());
  }
  if (ec) return Status(Code::kIoError, config.gateway.partners_dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    GATEWAY_ASSIGN_OR_RETURN(partners::PartnerProfile profile,
                             partners::LoadPartnerProfile(f.string(), config.gateway.mappings_dir));
    if (book->Find(profile.id) != nullptr) {
      return Status(Code::kInvalidArgument, f.string() + ": id '" + profile.id + "' is already used by " +
                                                book->Find(profile.id)->profile().file);
    }
    for (const std::string& w : profile.warehouses) {
      if (const Partner* other = book->ForWarehouse(w); other != nullptr && other->id() != profile.id &&
                                                         std::count(other->profile().warehouses.begin(),
                                                                    other->profile().warehouses.end(), w) > 0) {
        return Status(Code::kInvalidArgument, f.string() + ": warehouses: '" + w + "' is already served by " +
                                                  other->id() + " (" + other->profile().file + ")");
      }
    }
    auto partner = std::make_shared<Partner>();
    GATEWAY_ASSIGN_OR_RETURN(partner->setup, mapping::SetupFor(config.gateway, std::move(profile)));
    if (!partner->setup.profile.transport.empty()) {
      GATEWAY_ASSIGN_OR_RETURN(PartnerTransport t, ReadPartnerTransport(partner->setup.profile, config.base_dir));
      partner->transport = std::move(t);
    }
    book->partners_.push_back(std::move(partner));
  }
  return std::shared_ptr<const PartnerBook>(std::move(book));
}

const Partner* PartnerBook::Find(std::string_view id) const {
  for (const auto& p : partners_) {
    if (p->id() == id) return p.get();
  }
  return nullptr;
}

const Partner* PartnerBook::ForWarehouse(std::string_view warehouse) const {
  for (const auto& p : partners_) {
    const auto& w = p->profile().warehouses;
    if (std::find(w.begin(), w.end(), warehouse) != w.end()) return p.get();
  }
  return Find(warehouse);
}

spool::PolicyBook PartnerBook::Policies(const OmsTarget& oms) const {
  spool::PolicyBook book;
  book.defaults.retry = oms.retry;
  for (const auto& p : partners_) {
    spool::PartnerPolicy policy;
    const partners::DuplicatePolicies& d = p->profile().duplicates;
    policy.file_duplicates = ToSpool(d.file);
    policy.interchange_duplicates = ToSpool(d.interchange);
    policy.business_duplicates = ToSpool(d.business);
    policy.interchange_window = d.interchange_window;
    policy.retry = oms.retry;
    // Uploads to the partner retry on their own schedule: a partner's server being down for a
    // day must not kill an order, so the window is long and the backoff capped at 15 minutes.
    spool::RetryPolicy upload;
    upload.initial_delay = std::chrono::seconds(30);
    upload.max_delay = std::chrono::minutes(15);
    upload.max_age = std::chrono::hours(24 * 7);
    policy.retry_outbound = upload;
    book.partners[p->id()] = std::move(policy);
  }
  return book;
}

}  // namespace gateway::daemon
