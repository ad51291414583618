#include "gateway/mapping/map_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "edi/byte_source.h"
#include "edi/validator.h"
#include "gateway/canonical/json_input.h"
#include "spool/sha256.h"

namespace gateway::mapping {

namespace fs = std::filesystem;

Result<PartnerSetup> LoadPartnerSetup(const std::string& config_path, const std::string& partner) {
  PartnerSetup s;
  const std::string cfg = config_path.empty() ? partners::DefaultConfigPath() : config_path;
  const fs::path as_path = partner;
  const bool partner_is_file = as_path.extension() == ".yaml" || as_path.extension() == ".yml";
  if (!cfg.empty()) {
    auto c = partners::LoadGatewayConfig(cfg);
    if (!c.ok()) return c.status();
    s.config = std::move(*c);
  } else if (!partner_is_file) {
    return Status(Code::kNotFound, "no --config given and no config.yaml or config.example.yaml here; "
                                   "pass --config FILE or a profile path as --partner");
  }
  auto p = partner_is_file && cfg.empty() ? partners::LoadPartnerProfile(partner) : partners::FindPartner(s.config, partner);
  if (!p.ok()) return p.status();
  return SetupFor(std::move(s.config), std::move(*p));
}

Result<PartnerSetup> SetupFor(partners::GatewayConfig config, partners::PartnerProfile profile) {
  PartnerSetup s;
  s.config = std::move(config);
  s.profile = std::move(profile);
  auto m = LoadInboundMappings(s.profile);
  if (!m.ok()) return m.status();
  s.inbound = std::move(*m);
  for (const partners::MappingRef& ref : s.profile.mappings) {
    if (ref.direction != "outbound") continue;
    auto o = LoadMapping(ref.path, s.profile);
    if (!o.ok()) return o.status();
    if (!(*o)->outbound) {
      return Status(Code::kInvalidArgument, s.profile.file + ":" + std::to_string(ref.line) + ": mappings.outbound." +
                                                ref.key + ": " + ref.path + " is an inbound mapping");
    }
    s.outbound[ref.key] = *o;
  }
  return s;
}

RenderOutput RenderOrderText(const PartnerSetup& setup, std::string_view json_text, const RenderControl& control) {
  RenderOutput out;
  auto it = setup.outbound.find("940");
  if (it == setup.outbound.end()) {
    out.errors.push_back(setup.profile.file + ": partner " + setup.profile.id + " has no outbound mapping for 940 (mappings.outbound)");
    return out;
  }
  auto doc = canonical::ParseExactJson(json_text);
  if (!doc.ok()) {
    out.errors.push_back(doc.status().message());
    out.order_invalid = true;
    return out;
  }
  auto order = canonical::UnwrapEvent(std::move(*doc), it->second->type);
  if (!order.ok()) {
    out.errors.push_back(order.status().message());
    out.order_invalid = true;
    return out;
  }
  return RenderOrder(*it->second, setup.profile, *order, control);
}

Status MapFile(const std::string& path, const PartnerSetup& setup, bool explain, InboundSink& sink) {
  InboundOptions options;
  options.profile = &setup.profile;
  options.mappings = setup.inbound;
  options.explain = explain;
  options.source.file = fs::path(path).filename().string();

  // The file's hash goes into every event (edisource.sha256), so it is read once up front.
  auto hash_source = edi::FileSource::Open(path);
  if (!hash_source.ok()) return Status(Code::kNotFound, hash_source.error().message);
  spool::Sha256 sha;
  std::vector<char> buf(1 << 20);
  std::string head;  // the first bytes, to tell XML from X12
  while (true) {
    auto n = (*hash_source)->Read(buf.data(), buf.size());
    if (!n.ok()) return Status(Code::kIoError, n.error().message);
    if (*n == 0) break;
    if (head.size() < 4096) head.append(buf.data(), std::min<size_t>(*n, 4096 - head.size()));
    sha.Update(std::string_view(buf.data(), *n));
  }
  options.source.sha256 = sha.HexDigest();

  if (LooksLikeXml(head)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    MapXmlFile(ss.str(), options, sink);
    return Status::Ok();
  }
  auto source = edi::FileSource::Open(path);
  if (!source.ok()) return Status(Code::kNotFound, source.error().message);
  options.map_threads = MapThreadsFor((*source)->SizeHint());
  X12InboundMapper mapper(std::move(options), sink);
  edi::Validate(**source, mapper);
  mapper.Finish();
  return Status::Ok();
}

}  // namespace gateway::mapping
