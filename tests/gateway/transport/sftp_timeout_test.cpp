// Every SftpRemoteDir call is bounded: a server that stops answering, a port that never speaks
// SSH, or a closed port give an error within the configured timeout, never a hang.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "gateway/transport/sftp_remote_dir.h"
#include "tests/gateway/transport/test_util.h"

namespace {

using gateway::Code;
using gateway::Result;
using gateway::Status;
using namespace gateway::transport;
using Clock = std::chrono::steady_clock;

constexpr auto kTimeout = std::chrono::milliseconds(1000);
constexpr auto kSlack = std::chrono::milliseconds(4000);  // scheduling, sanitizers, a busy CI box

// A loopback socket that accepts TCP connections (via the backlog) but never says anything.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 8);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

SftpSettings Fast(SftpSettings s) {
  s.connect_timeout = kTimeout;
  s.io_timeout = kTimeout;
  return s;
}

TEST(SftpTimeout, StoppedServerTimesOutThenReconnectWorks) {
  x12test::Sshd sshd;
  SftpRemoteDir dir(Fast(transport_test::SettingsFor(sshd)));
  ASSERT_TRUE(dir.Connect().ok());
  ASSERT_TRUE(dir.List("").ok());

  sshd.PauseSessions();
  const auto start = Clock::now();
  Result<std::vector<RemoteEntry>> list = dir.List("");
  const auto took = Clock::now() - start;
  sshd.ResumeSessions();

  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), Code::kTimeout) << list.status().ToString();
  EXPECT_NE(list.status().message().find("127.0.0.1"), std::string::npos);
  EXPECT_GE(took, kTimeout);
  EXPECT_LT(took, kTimeout + kSlack);
  EXPECT_FALSE(dir.IsConnected());
  EXPECT_EQ(dir.Stat("x").status().code(), Code::kUnavailable);

  Status again = dir.Connect();
  ASSERT_TRUE(again.ok()) << again.ToString();
  EXPECT_TRUE(dir.List("").ok());
}

TEST(SftpTimeout, UploadToAStoppedServerTimesOutAndLeavesNoFinalFile) {
  x12test::Sshd sshd;
  SftpRemoteDir dir(Fast(transport_test::SettingsFor(sshd)));
  ASSERT_TRUE(dir.Connect().ok());
  const std::string data = transport_test::TestBytes(8 * 1024 * 1024);

  sshd.PauseSessions();
  StringSource src(data);
  const auto start = Clock::now();
  Result<std::uint64_t> r = dir.Write("big.edi", src);
  const auto took = Clock::now() - start;
  sshd.ResumeSessions();

  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kTimeout) << r.status().ToString();
  EXPECT_LT(took, kTimeout + kSlack);
  EXPECT_FALSE(dir.IsConnected());
  EXPECT_FALSE(std::filesystem::exists(sshd.data_dir() + "/big.edi"));
}

TEST(SftpTimeout, DownloadFromAStoppedServerTimesOut) {
  x12test::Sshd sshd;
  SftpRemoteDir dir(Fast(transport_test::SettingsFor(sshd)));
  ASSERT_TRUE(dir.Connect().ok());
  const std::string data = transport_test::TestBytes(8 * 1024 * 1024);
  StringSource src(data);
  ASSERT_TRUE(dir.Write("big.edi", src).ok());

  // Stop the server after the first chunk arrived, in the middle of the transfer.
  class PausingSink final : public ByteSink {
   public:
    explicit PausingSink(const x12test::Sshd& s) : sshd_(s) {}
    Status Write(std::string_view chunk) override {
      if (bytes_ == 0) sshd_.PauseSessions();
      bytes_ += chunk.size();
      return Status::Ok();
    }

   private:
    const x12test::Sshd& sshd_;
    std::size_t bytes_ = 0;
  } sink(sshd);
  const auto start = Clock::now();
  Result<std::uint64_t> r = dir.Read("big.edi", sink);
  const auto took = Clock::now() - start;
  sshd.ResumeSessions();

  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kTimeout) << r.status().ToString();
  EXPECT_LT(took, kTimeout + kSlack);
}

TEST(SftpTimeout, ServerThatNeverSpeaksSshTimesOutOnConnect) {
  SilentListener silent;
  SftpSettings s;
  s.host = "127.0.0.1";
  s.port = silent.port();
  s.user = "nobody";
  s.auth.private_key_file = "/nonexistent";
  s.host_key_fingerprint = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  SftpRemoteDir dir(Fast(s));
  const auto start = Clock::now();
  Status st = dir.Connect();
  const auto took = Clock::now() - start;
  EXPECT_EQ(st.code(), Code::kTimeout) << st.ToString();
  EXPECT_LT(took, kTimeout + kSlack);
}

TEST(SftpTimeout, ClosedPortIsUnavailable) {
  std::uint16_t port = 0;
  {
    SilentListener gone;  // find a port, then close it
    port = gone.port();
  }
  SftpSettings s;
  s.host = "127.0.0.1";
  s.port = port;
  s.user = "nobody";
  s.host_key_fingerprint = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  Status st = SftpRemoteDir(Fast(s)).Connect();
  EXPECT_EQ(st.code(), Code::kUnavailable) << st.ToString();
  EXPECT_NE(st.message().find("Connection refused"), std::string::npos) << st.message();
}

}  // namespace
