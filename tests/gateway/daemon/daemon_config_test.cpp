// The daemon's configuration: defaults, every error naming the file, the line and the key, and
// secrets refused in the config text.
#include <gtest/gtest.h>

#include <filesystem>

#include "gateway/daemon/daemon_config.h"
#include "gateway/daemon/partner_book.h"
#include "gateway/daemon/partner_transport.h"
#include "tests/support/run_command.h"

namespace gateway::daemon {
namespace {

class DaemonConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::create_directories(dir_.path() + "/partners"); }
  Result<DaemonConfig> Load(const std::string& daemon_sections) {
    const std::string path = dir_.Write("config.yaml", "partners_dir: partners\nmappings_dir: " + std::string(EDIGATE_SOURCE_DIR) +
                                                           "/mappings\n" + daemon_sections);
    return LoadDaemonConfig(path);
  }
  x12test::TempDir dir_;
};

TEST_F(DaemonConfigTest, DefaultsAndRelativePaths) {
  auto c = Load("");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->spool_path, dir_.path() + "/var/spool.db");
  EXPECT_EQ(c->http.port, 8080);
  EXPECT_EQ(c->http.address, "127.0.0.1");
  EXPECT_EQ(c->oms.max_connections, 4);
  EXPECT_EQ(c->log.format, "text");
  c = Load("spool: {path: data/s.db, lease: 2m}\noms: {base_url: 'https://oms.test/api', token_file: secrets/t, "
           "request_timeout: 1500ms, status_classes: {409: transient}, retry: {initial_delay: 5s, window: 2h, max_attempts: 9}}\n"
           "log: {level: debug, format: json}\nworkers: {transfers: 2, deliveries: 8}\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->spool_path, dir_.path() + "/data/s.db");
  EXPECT_EQ(c->lease, std::chrono::seconds(120));
  EXPECT_EQ(c->oms.token.file, dir_.path() + "/secrets/t");
  EXPECT_EQ(c->oms.request_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c->oms.status_classes.at(409), "transient");
  EXPECT_EQ(c->oms.retry.initial_delay, std::chrono::seconds(5));
  EXPECT_EQ(c->oms.retry.max_age, std::chrono::hours(2));
  EXPECT_EQ(c->oms.retry.max_attempts, 9);
  EXPECT_EQ(c->delivery_workers, 8);
}

TEST_F(DaemonConfigTest, ErrorsNameFileLineAndKey) {
  struct Case {
    std::string yaml, expect;
  } cases[] = {
      {"spool: {pth: x}\n", "config.yaml:3: spool.pth: unknown key"},
      {"oms:\n  base_url: ftp://x\n", "config.yaml:4: oms.base_url: must start with http:// or https://"},
      {"oms:\n  token: hunter2\n", "oms.token: secrets never go in the config"},
      {"oms:\n  token_env: A\n  token_file: b\n", "give token_env or token_file, not both"},
      {"oms:\n  status_classes: {999: delivered}\n", "oms.status_classes.999: is not an HTTP status code"},
      {"oms:\n  status_classes: {409: maybe}\n", "must be delivered, permanent, auth or transient"},
      {"http:\n  port: 70000\n", "config.yaml:4: http.port: must be a whole number from 0 to 65535"},
      {"log:\n  level: loud\n", "log.level: must be trace, debug, info, warn or error"},
      {"spool:\n  lease: 5s\n", "spool.lease: must be at least 10s"},
      {"workers: {threads: 3}\n", "workers.threads: unknown key"},
      {"bogus: 1\n", "config.yaml:3: bogus: unknown key"},
  };
  for (const Case& c : cases) {
    auto r = Load(c.yaml);
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << c.yaml << "\n" << r.status().message();
    EXPECT_EQ(r.status().message().find("hunter2"), std::string::npos) << "a secret was echoed";
  }
}

partners::PartnerProfile Profile(std::map<std::string, std::string> transport) {
  partners::PartnerProfile p;
  p.file = "partners/acme.yaml";
  p.id = "acme";
  int line = 20;
  for (const auto& [k, v] : transport) p.transport_lines[k] = line++;
  p.transport = std::move(transport);
  return p;
}

TEST(PartnerTransport, SftpAndLocalSettings) {
  auto t = ReadPartnerTransport(Profile({{"kind", "sftp"}, {"host", "h"}, {"port", "2222"}, {"user", "u"},
                                         {"auth.private_key_file", "keys/k"}, {"auth.passphrase_env", "P"},
                                         {"host_key_fingerprint", "SHA256:abc"}, {"inbound_dir", "out"},
                                         {"after_download", "delete"}, {"stable_for", "5s"}, {"max_files_per_poll", "7"}}),
                                "/etc/edigate");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->sftp.port, 2222);
  EXPECT_EQ(t->sftp.auth.private_key_file, "/etc/edigate/keys/k");
  EXPECT_EQ(t->sftp.auth.passphrase.env, "P");
  EXPECT_EQ(t->after_download, AfterDownload::kDelete);
  EXPECT_EQ(t->rules.stable_for, std::chrono::seconds(5));
  EXPECT_EQ(t->rules.max_files_per_poll, 7u);
  EXPECT_EQ(t->archive_dir, "out/archive");
  auto l = ReadPartnerTransport(Profile({{"kind", "local"}, {"root", "drop"}}), "/srv");
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->local_root, "/srv/drop");
}

TEST(PartnerTransport, ErrorsNameTheProfileLineAndKey) {
  struct Case {
    std::map<std::string, std::string> t;
    std::string expect;
  } cases[] = {
      {{{"kind", "sftp"}, {"user", "u"}}, "transport.host: is required"},
      {{{"kind", "sftp"}, {"host", "h"}, {"user", "u"}, {"auth.private_key_file", "k"}},
       "needs known_hosts_file or host_key_fingerprint"},
      {{{"kind", "sftp"}, {"host", "h"}, {"user", "u"}, {"known_hosts_file", "kh"}}, "transport.auth: give either"},
      {{{"kind", "sftp"}, {"host", "h"}, {"user", "u"}, {"known_hosts_file", "kh"}, {"auth.private_key_file", "k"},
        {"auth.password_env", "P"}}, "transport.auth: give either"},
      {{{"kind", "local"}}, "transport.root: is required"},
      {{{"kind", "local"}, {"root", "r"}, {"inbound_dir", "/abs"}}, "transport.inbound_dir: must be a folder relative"},
      {{{"kind", "local"}, {"root", "r"}, {"archive_dir", "../up"}}, "transport.archive_dir: must be a folder relative"},
      {{{"kind", "local"}, {"root", "r"}, {"after_download", "shred"}}, "must be archive, delete or leave"},
      {{{"kind", "local"}, {"root", "r"}, {"upload_name", "fixed.edi"}}, "must contain {control} or {id}"},
      {{{"kind", "local"}, {"root", "r"}, {"poll_interval", "soon"}}, "is not a duration"},
      {{{"kind", "local"}, {"root", "r"}, {"hots", "x"}}, "transport.hots: unknown key"},
  };
  for (const Case& c : cases) {
    auto r = ReadPartnerTransport(Profile(c.t), "/srv");
    ASSERT_FALSE(r.ok()) << c.expect;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().rfind("partners/acme.yaml", 0), 0u) << r.status().message();
  }
}

TEST(PartnerTransport, UploadNameTemplate) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1795800000));
  EXPECT_EQ(UploadName("{partner}_{type}_{control}.edi", "acme", "940", "000000042", 7, t), "acme_940_000000042.edi");
  EXPECT_EQ(UploadName("{id}-{time}-{unknown}.x12", "acme", "997", "1", 7, t), "7-20261127172000-{unknown}.x12");
}

TEST(PartnerBook, LoadsEveryProfileAndRoutesWarehouses) {
  x12test::TempDir dir;
  const std::string cfg = dir.Write("config.yaml", "partners_dir: " + std::string(EDIGATE_SOURCE_DIR) +
                                                       "/examples/demo/partners\nmappings_dir: " + EDIGATE_SOURCE_DIR + "/mappings\n");
  auto c = LoadDaemonConfig(cfg);
  ASSERT_TRUE(c.ok()) << c.status().message();
  auto book = PartnerBook::Load(*c);
  ASSERT_TRUE(book.ok()) << book.status().message();
  ASSERT_EQ((*book)->all().size(), 2u);
  ASSERT_NE((*book)->ForWarehouse("RENO1"), nullptr);
  EXPECT_EQ((*book)->ForWarehouse("RENO1")->id(), "example-3pl");
  EXPECT_EQ((*book)->ForWarehouse("example-xml-3pl")->id(), "example-xml-3pl");  // by id
  EXPECT_EQ((*book)->ForWarehouse("NOWHERE"), nullptr);
  const spool::PolicyBook policies = (*book)->Policies(c->oms);
  EXPECT_EQ(policies.For("example-3pl").file_duplicates, spool::DuplicatePolicy::kReject);
  EXPECT_EQ(policies.For("example-3pl").business_duplicates, spool::DuplicatePolicy::kSkip);  // warn: recorded, not re-sent
}

}  // namespace
}  // namespace gateway::daemon
