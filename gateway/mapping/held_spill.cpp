#include "gateway/mapping/held_spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace gateway::mapping {

namespace {

constexpr size_t kWriteChunk = size_t{1} << 20;  // and read chunk

// The text fields of a record, in file order (written and read by the same list).
template <class Set>
auto TextFields(Set& r) {
  return std::array{&r.type, &r.set_id, &r.control, &r.group, &r.origin.set_id, &r.origin.isa13, &r.origin.gs06,
                    &r.origin.st02, &r.origin.key_type, &r.event, &r.key, &r.explain, &r.what};
}

void PutU32(uint32_t v, std::string* out) { out->append(reinterpret_cast<const char*>(&v), sizeof v); }
void PutI64(int64_t v, std::string* out) { out->append(reinterpret_cast<const char*>(&v), sizeof v); }
void PutText(const std::string& s, std::string* out) {
  PutU32(static_cast<uint32_t>(s.size()), out);
  out->append(s);
}
void PutList(const std::vector<std::string>& v, std::string* out) {
  PutU32(static_cast<uint32_t>(v.size()), out);
  for (const std::string& s : v) PutText(s, out);
}

// Reads a record Add wrote; `ok` turns false past its end (a torn file).
class Reader {
 public:
  Reader(const char* p, size_t n) : p_(p), n_(n) {}
  bool ok() const { return ok_; }
  uint8_t U8() {
    uint8_t v = 0;
    Take(&v, sizeof v);
    return v;
  }
  uint32_t U32() {
    uint32_t v = 0;
    Take(&v, sizeof v);
    return v;
  }
  int64_t I64() {
    int64_t v = 0;
    Take(&v, sizeof v);
    return v;
  }
  void Text(std::string* s) {
    const uint32_t n = U32();
    if (!ok_ || n_ - at_ < n) {
      ok_ = false;
      return;
    }
    s->assign(p_ + at_, n);
    at_ += n;
  }
  void List(std::vector<std::string>* v) {
    const uint32_t n = U32();
    v->resize(ok_ && n <= n_ ? n : 0);
    for (std::string& s : *v) Text(&s);
  }

 private:
  void Take(void* p, size_t n) {
    if (!ok_ || n_ - at_ < n) {
      ok_ = false;
      return;
    }
    std::memcpy(p, p_ + at_, n);
    at_ += n;
  }
  const char* p_;
  size_t n_;
  size_t at_ = 0;
  bool ok_ = true;
};

int OpenUnlinked() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/edigate-held-XXXXXX";
  const int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(path.c_str());
  return fd;
}

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads the file from its start in chunks, so a record costs no system call of its own.
class ChunkReader {
 public:
  explicit ChunkReader(int fd) : fd_(fd) {}
  // The next n bytes, or null at the end of the file or on an error.
  const char* Take(size_t n) {
    if (buf_.size() - at_ < n) {
      buf_.erase(0, at_);
      at_ = 0;
      size_t have = buf_.size();
      buf_.resize(std::max(n, kWriteChunk));
      while (have < n) {
        const ssize_t r = ::read(fd_, buf_.data() + have, buf_.size() - have);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        have += static_cast<size_t>(r);
      }
      buf_.resize(have);
      if (have < n) return nullptr;
    }
    const char* p = buf_.data() + at_;
    at_ += n;
    return p;
  }

 private:
  int fd_;
  std::string buf_;
  size_t at_ = 0;
};

}  // namespace

HeldSpill::~HeldSpill() {
  if (fd_ >= 0) ::close(fd_);
}

void HeldSpill::Add(const SpilledSet& r) {
  if (failed_) return;
  const size_t at = buf_.size();
  PutU32(0, &buf_);  // the record's length, filled in below
  buf_.push_back(static_cast<char>((r.rejected ? 1 : 0) | (r.handed_to_mapping ? 2 : 0)));
  PutU32(static_cast<uint32_t>(r.verdict), &buf_);
  for (const std::string* s : TextFields(r)) PutText(*s, &buf_);
  PutI64(r.origin.index, &buf_);
  PutList(r.origin.business_key, &buf_);
  PutList(r.errors, &buf_);
  const auto length = static_cast<uint32_t>(buf_.size() - at - sizeof(uint32_t));
  std::memcpy(buf_.data() + at, &length, sizeof length);
  if (buf_.size() >= kWriteChunk) Flush();
}

void HeldSpill::Flush() {
  if (failed_ || buf_.empty()) return;
  if (fd_ < 0 && (fd_ = OpenUnlinked()) < 0) {
    failed_ = true;
  } else if (WriteAll(fd_, buf_.data(), buf_.size())) {
    written_ += buf_.size();
  } else {
    failed_ = true;
  }
  buf_.clear();
}

bool HeldSpill::Commit(size_t records) {
  Flush();
  const bool ok = !failed_;
  failed_ = false;
  if (ok) {
    bytes_ = written_;
    records_ += records;
    return true;
  }
  // Back to the last whole batch: a torn tail would be read back as garbage.
  buf_.clear();
  if (fd_ >= 0 && (::ftruncate(fd_, static_cast<off_t>(bytes_)) != 0 ||
                   ::lseek(fd_, static_cast<off_t>(bytes_), SEEK_SET) < 0)) {
    // The file cannot be cut back: the committed records are still readable up to bytes_,
    // and nothing more will be appended.
    failed_ = true;
  }
  written_ = bytes_;
  return false;
}

bool HeldSpill::Drain(const std::function<void(SpilledSet&)>& each) {
  if (records_ == 0) return true;
  bool ok = ::lseek(fd_, 0, SEEK_SET) == 0;
  ChunkReader file(fd_);
  SpilledSet r;
  for (size_t i = 0; ok && i < records_; ++i) {
    uint32_t length = 0;
    const char* p = file.Take(sizeof length);
    if (p != nullptr) std::memcpy(&length, p, sizeof length);
    const char* record = p != nullptr ? file.Take(length) : nullptr;
    ok = record != nullptr;
    if (!ok) break;
    Reader in(record, length);
    const uint8_t flags = in.U8();
    r.rejected = (flags & 1) != 0;
    r.handed_to_mapping = (flags & 2) != 0;
    r.verdict = static_cast<int32_t>(in.U32());
    for (std::string* s : TextFields(r)) in.Text(s);
    r.origin.index = in.I64();
    in.List(&r.origin.business_key);
    in.List(&r.errors);
    ok = in.ok();
    if (ok) each(r);
  }
  // Empty again for the next interchange, whatever happened.
  ok = ::ftruncate(fd_, 0) == 0 && ::lseek(fd_, 0, SEEK_SET) == 0 && ok;
  bytes_ = written_ = 0;
  records_ = 0;
  failed_ = false;
  return ok;
}

}  // namespace gateway::mapping
