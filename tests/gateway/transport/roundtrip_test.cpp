// The RemoteDir contract, run against both implementations: SftpRemoteDir talking to a real
// OpenSSH sshd on loopback, and LocalRemoteDir on a temporary directory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <ostream>
#include <set>

#include "gateway/transport/local_remote_dir.h"
#include "gateway/transport/sftp_remote_dir.h"
#include "tests/gateway/transport/test_util.h"

namespace {

using gateway::Code;
using gateway::Result;
using gateway::Status;
using namespace gateway::transport;
using transport_test::Sha256;
using transport_test::Sha256Sink;
using transport_test::TestBytes;

enum class Kind { kSftp, kLocal };
void PrintTo(Kind k, std::ostream* os) { *os << (k == Kind::kSftp ? "sftp" : "local"); }

class RemoteDirContract : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    if (GetParam() == Kind::kSftp) {
      sshd_ = std::make_unique<x12test::Sshd>();
      root_ = sshd_->data_dir();
    } else {
      local_ = std::make_unique<x12test::TempDir>();
      root_ = local_->path();
    }
    dir_ = Make();
    ASSERT_TRUE(dir_->Connect().ok());
  }

  std::unique_ptr<RemoteDir> Make() const {
    if (GetParam() == Kind::kSftp) {
      return std::make_unique<SftpRemoteDir>(transport_test::SettingsFor(*sshd_));
    }
    return std::make_unique<LocalRemoteDir>(root_);
  }

  std::set<std::string> Names(RemoteDir& d, const std::string& dir) {
    Result<std::vector<RemoteEntry>> list = d.List(dir);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    std::set<std::string> names;
    if (list.ok()) {
      for (const RemoteEntry& e : *list) names.insert(e.name);
    }
    return names;
  }

  std::string ReadAll(const std::string& path) {
    StringSink sink;
    Result<std::uint64_t> n = dir_->Read(path, sink);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return sink.out;
  }

  Status WriteString(const std::string& path, const std::string& content) {
    StringSource src(content);
    Result<std::uint64_t> n = dir_->Write(path, src);
    return n.ok() ? Status::Ok() : n.status();
  }

  std::unique_ptr<x12test::Sshd> sshd_;
  std::unique_ptr<x12test::TempDir> local_;
  std::string root_;  // the root as a local path (sshd runs on this machine, without chroot)
  std::unique_ptr<RemoteDir> dir_;
};

TEST_P(RemoteDirContract, RoundTripOfAFiveMegabyteFile) {
  const std::string data = TestBytes(5 * 1024 * 1024);
  ASSERT_TRUE(dir_->MakeDirs("in").ok());
  StringSource src(data);
  Result<std::uint64_t> written = dir_->Write("in/big.edi", src);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(*written, data.size());

  Result<std::vector<RemoteEntry>> list = dir_->List("in");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u) << "no temp file may be left behind";
  EXPECT_EQ((*list)[0].name, "big.edi");
  EXPECT_EQ((*list)[0].size, data.size());
  EXPECT_TRUE((*list)[0].is_regular);
  EXPECT_GT((*list)[0].mtime, 1600000000);

  Result<RemoteEntry> st = dir_->Stat("in/big.edi");
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->size, data.size());
  EXPECT_EQ(st->name, "big.edi");

  Sha256Sink sink;
  Result<std::uint64_t> read = dir_->Read("in/big.edi", sink);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, data.size());
  EXPECT_GT(sink.chunks, 1u) << "the download must arrive in chunks";
  EXPECT_EQ(sink.Hex(), Sha256(data));

  ASSERT_TRUE(dir_->MakeDirs("archive/2026/11").ok());
  Status moved = dir_->Rename("in/big.edi", "archive/2026/11/big.edi");
  ASSERT_TRUE(moved.ok()) << moved.ToString();
  EXPECT_TRUE(Names(*dir_, "in").empty());
  EXPECT_EQ(Names(*dir_, "archive/2026/11"), std::set<std::string>{"big.edi"});
  EXPECT_EQ(Sha256(x12test::ReadFile(root_ + "/archive/2026/11/big.edi")), Sha256(data));

  ASSERT_TRUE(dir_->Remove("archive/2026/11/big.edi").ok());
  EXPECT_EQ(dir_->Stat("archive/2026/11/big.edi").status().code(), Code::kNotFound);
  EXPECT_EQ(dir_->Remove("archive/2026/11/big.edi").code(), Code::kNotFound);
}

TEST_P(RemoteDirContract, EmptyFileRoundTrips) {
  ASSERT_TRUE(WriteString("empty.edi", "").ok());
  EXPECT_EQ(dir_->Stat("empty.edi")->size, 0u);
  EXPECT_EQ(ReadAll("empty.edi"), "");
}

TEST_P(RemoteDirContract, NamesAsPartnersWriteThemRoundTrip) {
  // Spaces, shell and URL characters, a leading dash, UTF-8: all are bytes to SFTP.
  const std::vector<std::string> names = {"ASN 2026-11-20 #3.edi", "-945&ack%20(1).x12", "Lieferavis_M\xC3\xBCnchen.edi",
                                          "semi;colon'quote.edi"};
  for (const char* d : {"/in", "/archive"}) std::filesystem::create_directories(root_ + d);  // as on a partner server
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const Status written = WriteString("in/" + name, "content of " + name);
    ASSERT_TRUE(written.ok()) << written.ToString();
    EXPECT_EQ(ReadAll("in/" + name), "content of " + name);
    ASSERT_TRUE(dir_->Stat("in/" + name).ok());
  }
  EXPECT_EQ(Names(*dir_, "in"), std::set<std::string>(names.begin(), names.end()));
  for (const std::string& name : names) {
    ASSERT_TRUE(dir_->Rename("in/" + name, "archive/" + name).ok()) << name;
    EXPECT_EQ(x12test::ReadFile(root_ + "/archive/" + name), "content of " + name);
  }
  EXPECT_TRUE(Names(*dir_, "in").empty());
}

TEST_P(RemoteDirContract, WriteNeverOverwritesAnExistingFile) {
  ASSERT_TRUE(WriteString("a.edi", "original").ok());
  Status again = WriteString("a.edi", "replacement");
  EXPECT_EQ(again.code(), Code::kAlreadyExists) << again.ToString();
  EXPECT_NE(again.message().find("a.edi"), std::string::npos) << again.message();
  EXPECT_EQ(ReadAll("a.edi"), "original");
  EXPECT_EQ(Names(*dir_, ""), std::set<std::string>{"a.edi"}) << "no temp file left behind";
}

TEST_P(RemoteDirContract, RenameNeverOverwritesAnExistingFile) {
  ASSERT_TRUE(WriteString("a.edi", "A").ok());
  ASSERT_TRUE(WriteString("b.edi", "B").ok());
  Status s = dir_->Rename("a.edi", "b.edi");
  EXPECT_EQ(s.code(), Code::kAlreadyExists) << s.ToString();
  EXPECT_EQ(ReadAll("a.edi"), "A");
  EXPECT_EQ(ReadAll("b.edi"), "B");
}

// A source that lists the target directory through a second connection each time the upload
// asks for more bytes, including the final call that ends the stream (all bytes sent, before
// the rename). The final name must never be visible until Write has returned.
class SpyingSource final : public ByteSource {
 public:
  SpyingSource(std::string data, RemoteDir& reader) : data_(std::move(data)), reader_(reader) {}
  Result<std::size_t> Read(std::span<char> buf) override {
    Result<std::vector<RemoteEntry>> list = reader_.List("out");
    if (!list.ok()) return list.status();
    listings.push_back(*list);
    const std::size_t n = std::min(buf.size(), data_.size() - pos_);
    std::memcpy(buf.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  std::vector<std::vector<RemoteEntry>> listings;

 private:
  std::string data_;
  std::size_t pos_ = 0;
  RemoteDir& reader_;
};

TEST_P(RemoteDirContract, UploadIsInvisibleUnderItsFinalNameUntilComplete) {
  const std::string data = TestBytes(3 * 1024 * 1024, 7);
  ASSERT_TRUE(dir_->MakeDirs("out").ok());
  std::unique_ptr<RemoteDir> reader = Make();
  ASSERT_TRUE(reader->Connect().ok());
  SpyingSource src(data, *reader);
  Result<std::uint64_t> written = dir_->Write("out/940_0001.edi", src);
  ASSERT_TRUE(written.ok()) << written.status().ToString();

  ASSERT_GE(src.listings.size(), 3u);
  for (const auto& listing : src.listings) {
    for (const RemoteEntry& e : listing) {
      EXPECT_NE(e.name, "940_0001.edi") << "final name visible during the upload";
      EXPECT_EQ(e.name.front(), '.') << "only a hidden temp name may appear: " << e.name;
    }
  }
  // After the last byte, before the rename: the temp file holds the data.
  const auto& last = src.listings.back();
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].name.rfind(".940_0001.edi.", 0), 0u) << last[0].name;
  EXPECT_TRUE(last[0].name.ends_with(".part")) << last[0].name;

  Result<std::vector<RemoteEntry>> after = reader->List("out");
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].name, "940_0001.edi");
  EXPECT_EQ((*after)[0].size, data.size());
}

class FailingSource final : public ByteSource {
 public:
  Result<std::size_t> Read(std::span<char> buf) override {
    if (calls_++ == 0) {
      std::memset(buf.data(), 'x', buf.size());
      return buf.size();
    }
    return Status(Code::kIoError, "spool blob unreadable");
  }

 private:
  int calls_ = 0;
};

TEST_P(RemoteDirContract, FailedUploadLeavesNothingBehind) {
  FailingSource src;
  Result<std::uint64_t> r = dir_->Write("x.edi", src);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "spool blob unreadable");
  EXPECT_TRUE(Names(*dir_, "").empty());
  EXPECT_TRUE(dir_->IsConnected());
}

class FailingSink final : public ByteSink {
 public:
  Status Write(std::string_view) override { return Status(Code::kIoError, "disk full"); }
};

TEST_P(RemoteDirContract, SinkErrorStopsTheDownload) {
  ASSERT_TRUE(WriteString("a.edi", TestBytes(1024 * 1024)).ok());
  FailingSink sink;
  Result<std::uint64_t> r = dir_->Read("a.edi", sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "disk full");
  EXPECT_TRUE(dir_->IsConnected());
  EXPECT_EQ(ReadAll("a.edi").size(), 1024u * 1024u) << "the connection is still usable";
}

TEST_P(RemoteDirContract, MissingFilesAreNotFoundWithThePathInTheMessage) {
  StringSink sink;
  Result<std::uint64_t> r = dir_->Read("in/nope.edi", sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound) << r.status().ToString();
  EXPECT_NE(r.status().message().find("nope.edi"), std::string::npos);
  EXPECT_EQ(dir_->List("missing-dir").status().code(), Code::kNotFound);
  EXPECT_EQ(dir_->Rename("nope.edi", "other.edi").code(), Code::kNotFound);
}

TEST_P(RemoteDirContract, ListShowsDirectoriesAsNotRegular) {
  ASSERT_TRUE(dir_->MakeDirs("sub").ok());
  ASSERT_TRUE(dir_->MakeDirs("sub").ok()) << "mkdir -p is idempotent";
  ASSERT_TRUE(WriteString("f.edi", "x").ok());
  Result<std::vector<RemoteEntry>> list = dir_->List(".");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  for (const RemoteEntry& e : *list) EXPECT_EQ(e.is_regular, e.name == "f.edi") << e.name;
  EXPECT_EQ(dir_->MakeDirs("f.edi/sub").code(), Code::kAlreadyExists);
}

TEST_P(RemoteDirContract, PathsCannotEscapeTheRoot) {
  for (const char* bad : {"../x", "/etc/passwd", "a/../../x"}) {
    EXPECT_EQ(dir_->Stat(bad).status().code(), Code::kInvalidArgument) << bad;
    StringSource src("x");
    EXPECT_EQ(dir_->Write(bad, src).status().code(), Code::kInvalidArgument) << bad;
  }
}

TEST_P(RemoteDirContract, NothingWorksBeforeConnectOrAfterClose) {
  std::unique_ptr<RemoteDir> fresh = Make();
  EXPECT_FALSE(fresh->IsConnected());
  EXPECT_EQ(fresh->List("").status().code(), Code::kUnavailable);
  dir_->Close();
  EXPECT_FALSE(dir_->IsConnected());
  EXPECT_EQ(dir_->Stat("x").status().code(), Code::kUnavailable);
  ASSERT_TRUE(dir_->Connect().ok()) << "reconnect is the caller's decision";
  EXPECT_TRUE(dir_->List("").ok());
}

INSTANTIATE_TEST_SUITE_P(Transports, RemoteDirContract,
                         ::testing::Values(Kind::kSftp, Kind::kLocal),
                         [](const ::testing::TestParamInfo<Kind>& info) {
                           return info.param == Kind::kSftp ? "Sftp" : "Local";
                         });

}  // namespace
