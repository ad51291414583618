#include "gateway/daemon/partner_check.h"

#include <chrono>

#include "gateway/transport/inbound_selector.h"

namespace gateway::daemon {

namespace {

std::string MappingsText(const partners::PartnerProfile& p) {
  std::string in, out;
  for (const partners::MappingRef& m : p.mappings) (m.direction == "outbound" ? out : in) += " " + m.key;
  std::string s = p.file + ":";
  if (!in.empty()) s += " inbound" + in;
  if (!out.empty()) s += (in.empty() ? "" : ";") + std::string(" outbound") + out;
  if (in.empty() && out.empty()) s += " no mappings";
  return s;
}

// Folders the daemon writes into (outbound, acknowledgments, archive, error copies) are made at
// their first use, so one may be missing; a file in its place is an error.
CheckStep MayBeCreated(transport::RemoteDir& dir, const std::string& name, const std::string& path) {
  CheckStep s{name, true, path + ": "};
  Result<transport::RemoteEntry> st = dir.Stat(path);
  if (st.ok()) {
    s.ok = !st->is_regular;
    s.detail += st->is_regular ? "is a file, not a folder" : "a folder";
  } else if (st.status().code() == Code::kNotFound) {
    s.detail += "not there yet; created on first use";
  } else {
    s.ok = false;
    s.detail += st.status().message();
  }
  return s;
}

}  // namespace

PartnerCheck CheckPartner(const Partner& partner) {
  PartnerCheck c;
  c.partner = partner.id();
  c.steps.push_back({"profile", true, MappingsText(partner.profile())});
  if (!partner.transport) {
    c.transport = "none";
    c.steps.push_back({"transport", true, "none: not polled (files come in by `edigate spool ingest`)"});
    return c;
  }
  const PartnerTransport& t = *partner.transport;
  std::unique_ptr<transport::RemoteDir> dir = t.Open();
  c.transport = dir->Describe();
  const auto started = std::chrono::steady_clock::now();
  Status connected = dir->Connect();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (!connected.ok()) {
    c.ok = false;
    c.steps.push_back({"connect", false, connected.message()});
    return c;
  }
  c.steps.push_back({"connect", true,
                     (t.kind == "sftp" ? "host key verified, authenticated in " : "opened in ") + std::to_string(ms) + " ms"});

  CheckStep inbound{"inbound_dir", true, t.inbound_dir + ": "};
  Result<std::vector<transport::RemoteEntry>> listing = dir->List(t.inbound_dir);
  if (!listing.ok()) {
    inbound.ok = false;
    inbound.detail += listing.status().code() == Code::kNotFound ? "missing; nothing can be picked up"
                                                                : listing.status().message();
  } else {
    const transport::InboundSelector selector(t.rules);
    size_t files = 0, matching = 0;
    for (const transport::RemoteEntry& e : *listing) {
      if (!e.is_regular) continue;
      ++files;
      if (selector.Candidate(e)) ++matching;
    }
    inbound.detail += std::to_string(files) + " file(s), " + std::to_string(matching) + " matching \"" +
                      t.rules.glob + "\" to be picked up";
  }
  c.steps.push_back(inbound);
  c.steps.push_back(MayBeCreated(*dir, "outbound_dir", t.outbound_dir));
  if (!t.ack_dir.empty() && t.ack_dir != t.outbound_dir) c.steps.push_back(MayBeCreated(*dir, "ack_dir", t.ack_dir));
  if (t.after_download == AfterDownload::kArchive) c.steps.push_back(MayBeCreated(*dir, "archive_dir", t.archive_dir));
  if (!t.error_dir.empty()) c.steps.push_back(MayBeCreated(*dir, "error_dir", t.error_dir));
  dir->Close();
  for (const CheckStep& s : c.steps) c.ok = c.ok && s.ok;
  return c;
}

}  // namespace gateway::daemon
