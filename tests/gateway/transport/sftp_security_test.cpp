// SftpRemoteDir against a real sshd: host key verification never falls back, and
// authentication errors are clear without ever showing a secret.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "gateway/transport/sftp_remote_dir.h"
#include "tests/gateway/transport/test_util.h"

namespace {

using gateway::Code;
using gateway::Status;
using namespace gateway::transport;

class SftpSecurity : public ::testing::Test {
 protected:
  SftpSettings Settings() const { return transport_test::SettingsFor(sshd_); }

  std::string WriteScratch(const std::string& name, const std::string& content) const {
    const std::string path = sshd_.scratch_dir() + "/" + name;
    std::ofstream(path) << content;
    return path;
  }

  // True if the server logged a successful login (the check for "nothing was sent").
  bool ServerAcceptedALogin() const { return sshd_.Log().find("Accepted ") != std::string::npos; }

  x12test::Sshd sshd_;
};

TEST_F(SftpSecurity, CorrectKnownHostsConnects) {
  SftpRemoteDir dir(Settings());
  Status s = dir.Connect();
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << sshd_.Log();
  EXPECT_TRUE(dir.IsConnected());
  EXPECT_TRUE(dir.List("").ok());
  EXPECT_TRUE(dir.KeepAlive().ok());
}

TEST_F(SftpSecurity, CorrectPinnedFingerprintConnects) {
  SftpSettings s = Settings();
  s.known_hosts_file.clear();
  s.host_key_fingerprint = sshd_.host_fingerprint();
  SftpRemoteDir dir(s);
  Status st = dir.Connect();
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST_F(SftpSecurity, WrongPinnedFingerprintIsRefusedBeforeAuthentication) {
  SftpSettings s = Settings();
  s.known_hosts_file.clear();
  s.host_key_fingerprint = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  SftpRemoteDir dir(s);
  Status st = dir.Connect();
  EXPECT_EQ(st.code(), Code::kHostKeyRejected) << st.ToString();
  EXPECT_NE(st.message().find("does NOT match the pinned fingerprint"), std::string::npos);
  EXPECT_NE(st.message().find(sshd_.host_fingerprint()), std::string::npos)
      << "the message shows the key the server presented";
  EXPECT_FALSE(dir.IsConnected());
  EXPECT_EQ(dir.List("").status().code(), Code::kUnavailable);
  EXPECT_FALSE(ServerAcceptedALogin()) << sshd_.Log();
}

TEST_F(SftpSecurity, BothChecksMustPass) {
  SftpSettings s = Settings();  // correct known_hosts
  s.host_key_fingerprint = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  EXPECT_EQ(SftpRemoteDir(s).Connect().code(), Code::kHostKeyRejected);
}

TEST_F(SftpSecurity, HostMissingFromKnownHostsIsRefused) {
  SftpSettings s = Settings();
  s.known_hosts_file = WriteScratch("known_hosts_other", "[127.0.0.1]:1 " + sshd_.OtherHostKey() +
                                                             "\nother.example " +
                                                             sshd_.OtherHostKey() + "\n");
  SftpRemoteDir dir(s);
  Status st = dir.Connect();
  EXPECT_EQ(st.code(), Code::kHostKeyRejected) << st.ToString();
  EXPECT_NE(st.message().find("is not in"), std::string::npos) << st.message();
  EXPECT_FALSE(ServerAcceptedALogin());
}

TEST_F(SftpSecurity, ChangedHostKeyIsRefused) {
  SftpSettings s = Settings();
  s.known_hosts_file = WriteScratch(
      "known_hosts_changed", "[127.0.0.1]:" + std::to_string(sshd_.port()) + " " +
                                 sshd_.OtherHostKey() + "\n");
  SftpRemoteDir dir(s);
  Status st = dir.Connect();
  EXPECT_EQ(st.code(), Code::kHostKeyRejected) << st.ToString();
  EXPECT_NE(st.message().find("does NOT match"), std::string::npos) << st.message();
  EXPECT_FALSE(ServerAcceptedALogin());
}

TEST_F(SftpSecurity, UnreadableKnownHostsIsRefused) {
  SftpSettings s = Settings();
  s.known_hosts_file = sshd_.scratch_dir() + "/no_such_known_hosts";
  Status st = SftpRemoteDir(s).Connect();
  EXPECT_EQ(st.code(), Code::kHostKeyRejected) << st.ToString();
  EXPECT_NE(st.message().find("no_such_known_hosts"), std::string::npos);
}

TEST_F(SftpSecurity, NoVerificationConfiguredIsRefusedWithoutConnecting) {
  SftpSettings s = Settings();
  s.known_hosts_file.clear();
  Status st = SftpRemoteDir(s).Connect();
  EXPECT_EQ(st.code(), Code::kInvalidArgument) << st.ToString();
  EXPECT_NE(st.message().find("refusing"), std::string::npos);
  EXPECT_EQ(sshd_.Log().find("Connection from"), std::string::npos) << sshd_.Log();
}

TEST_F(SftpSecurity, EncryptedKeyWithPassphraseFromFile) {
  SftpSettings s = Settings();
  s.auth.private_key_file = sshd_.encrypted_client_key();
  s.auth.passphrase.file = WriteScratch("passphrase", sshd_.client_key_passphrase() + "\n");
  Status st = SftpRemoteDir(s).Connect();
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST_F(SftpSecurity, EncryptedKeyWithPassphraseFromEnvironment) {
  SftpSettings s = Settings();
  s.auth.private_key_file = sshd_.encrypted_client_key();
  s.auth.passphrase.env = "EDIGATE_TEST_KEY_PASSPHRASE";
  ::setenv("EDIGATE_TEST_KEY_PASSPHRASE", sshd_.client_key_passphrase().c_str(), 1);
  Status st = SftpRemoteDir(s).Connect();
  ::unsetenv("EDIGATE_TEST_KEY_PASSPHRASE");
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST_F(SftpSecurity, MissingPassphraseFileIsAClearErrorWithoutTheSecret) {
  SftpSettings s = Settings();
  s.auth.private_key_file = sshd_.encrypted_client_key();
  s.auth.passphrase.file = sshd_.scratch_dir() + "/missing_passphrase";
  Status st = SftpRemoteDir(s).Connect();
  EXPECT_EQ(st.code(), Code::kAuthFailed) << st.ToString();
  EXPECT_NE(st.message().find("key passphrase"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("missing_passphrase"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("No such file"), std::string::npos) << st.message();
  EXPECT_EQ(st.message().find(sshd_.client_key_passphrase()), std::string::npos);
}

TEST_F(SftpSecurity, WrongPassphraseIsRejectedWithoutShowingIt) {
  SftpSettings s = Settings();
  s.auth.private_key_file = sshd_.encrypted_client_key();
  s.auth.passphrase.file = WriteScratch("wrong_passphrase", "not-the-passphrase-0xC0FFEE");
  Status st = SftpRemoteDir(s).Connect();
  EXPECT_EQ(st.code(), Code::kAuthFailed) << st.ToString();
  EXPECT_EQ(st.message().find("0xC0FFEE"), std::string::npos) << st.message();
  EXPECT_EQ(st.message().find(sshd_.client_key_passphrase()), std::string::npos);
}

TEST_F(SftpSecurity, PassphraseVariableUnsetNamesTheVariable) {
  SftpSettings s = Settings();
  s.auth.private_key_file = sshd_.encrypted_client_key();
  s.auth.passphrase.env = "EDIGATE_TEST_UNSET_PASSPHRASE_VAR";
  ::unsetenv("EDIGATE_TEST_UNSET_PASSPHRASE_VAR");
  Status st = SftpRemoteDir(s).Connect();
  EXPECT_EQ(st.code(), Code::kAuthFailed);
  EXPECT_NE(st.message().find("EDIGATE_TEST_UNSET_PASSPHRASE_VAR is not set"), std::string::npos)
      << st.message();
}

TEST_F(SftpSecurity, KeyNotAuthorizedIsAuthFailed) {
  SftpSettings s = Settings();
  const std::string other = sshd_.scratch_dir() + "/stranger";
  ASSERT_EQ(x12test::RunCommand({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other})
                .exit_code,
            0);
  s.auth.private_key_file = other;
  Status st = SftpRemoteDir(s).Connect();
  EXPECT_EQ(st.code(), Code::kAuthFailed) << st.ToString();
  EXPECT_NE(st.message().find("stranger"), std::string::npos) << st.message();
}

TEST_F(SftpSecurity, PasswordAuthWithoutASecretSaysSo) {
  SftpSettings s = Settings();
  s.auth.kind = SftpAuth::Kind::kPassword;
  Status none = SftpRemoteDir(s).Connect();
  EXPECT_EQ(none.code(), Code::kAuthFailed);
  EXPECT_NE(none.message().find("without a password source"), std::string::npos) << none.message();

  s.auth.password.env = "EDIGATE_TEST_UNSET_PASSWORD_VAR";
  ::unsetenv("EDIGATE_TEST_UNSET_PASSWORD_VAR");
  Status unset = SftpRemoteDir(s).Connect();
  EXPECT_EQ(unset.code(), Code::kAuthFailed);
  EXPECT_NE(unset.message().find("EDIGATE_TEST_UNSET_PASSWORD_VAR is not set"), std::string::npos)
      << unset.message();

  s.auth.password.env.clear();
  s.auth.password.file = sshd_.scratch_dir() + "/no_password_file";
  Status missing = SftpRemoteDir(s).Connect();
  EXPECT_EQ(missing.code(), Code::kAuthFailed);
  EXPECT_NE(missing.message().find("no_password_file"), std::string::npos) << missing.message();
}

TEST_F(SftpSecurity, PasswordRefusedByTheServerDoesNotShowThePassword) {
  SftpSettings s = Settings();
  s.auth.kind = SftpAuth::Kind::kPassword;
  s.auth.password.file = WriteScratch("password", "hunter2-secret-0xBEEF\n");
  Status st = SftpRemoteDir(s).Connect();
  EXPECT_EQ(st.code(), Code::kAuthFailed) << st.ToString();
  EXPECT_EQ(st.message().find("0xBEEF"), std::string::npos) << st.message();
}

TEST_F(SftpSecurity, DescribeNamesTheTargetWithoutSecrets) {
  SftpSettings s = Settings();
  s.auth.password.file = WriteScratch("pw", "p@ss");
  const std::string d = SftpRemoteDir(s).Describe();
  EXPECT_EQ(d, "sftp://" + sshd_.user() + "@127.0.0.1:" + std::to_string(sshd_.port()) + "/" +
                   sshd_.data_dir());
}

}  // namespace
