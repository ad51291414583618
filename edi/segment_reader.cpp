#include "edi/segment_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace edi {
namespace {

bool IsLineBreak(char c) { return c == '\n' || c == '\r'; }
constexpr bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Blanks and NUL: what is skipped between segments (after every terminator), by table.
constexpr std::array<bool, 256> kSkippable = [] {
  std::array<bool, 256> t{};
  for (unsigned c = 0; c < 256; ++c) t[c] = c == 0 || IsBlank(static_cast<char>(c));
  return t;
}();
bool IsSkippable(char c) { return kSkippable[static_cast<unsigned char>(c)]; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// The first `t` in [p, end), or nullptr. Sets *line_break when a CR or LF precedes it (or, when
// there is no `t`, anywhere in the range): one pass finds the terminator and tells whether the
// segment needs RemoveLineBreaks. Segments are short, so this beats a memchr call per question.
const char* FindTerminator(const char* p, const char* end, char t, bool* line_break) {
#if defined(__SSE2__)
  const __m128i vt = _mm_set1_epi8(t);
  const __m128i vn = _mm_set1_epi8('\n');
  const __m128i vr = _mm_set1_epi8('\r');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto mt = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vt)));
    const auto ml = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vr))));
    if (mt != 0) {
      const unsigned i = static_cast<unsigned>(__builtin_ctz(mt));
      if ((ml & ((1u << i) - 1)) != 0) *line_break = true;
      return p + i;
    }
    if (ml != 0) *line_break = true;
    p += 16;
  }
#endif
  for (; p < end; ++p) {
    if (*p == t) return p;
    if (IsLineBreak(*p)) *line_break = true;
  }
  return nullptr;
}

// In a wrapped file (`wrapped`: the previous interchange was) a line break may fall inside
// the next "ISA" tag: "I\r\nSA" or "IS\nA". DetectIsa() reads such an ISA.
bool SplitIsaTag(const char* p, size_t n, bool wrapped) {
  if (!wrapped || n < 4 || p[0] != 'I') return false;
  size_t i = 1;
  for (char want : {'S', 'A'}) {
    while (i < n && IsLineBreak(p[i])) ++i;
    if (i >= n || p[i] != want) return false;
    ++i;
  }
  return true;
}

}  // namespace

SegmentReader::SegmentReader(ByteSource& source, ReaderOptions options)
    : SegmentReader(source, options, nullptr) {}

SegmentReader::SegmentReader(ByteSource& source, ReaderOptions options, BufferLender* lender)
    : source_(source), options_(options), lender_(lender) {
  const size_t size = std::max<size_t>(options_.chunk_bytes, kIsaWindow) * 2 + kSegmentPadding;
  if (lender_ != nullptr) {
    lender_->Replace(&buf_, 0, 0, size);
  } else {
    buf_.resize(size);
  }
}

SegmentReader::~SegmentReader() {
  if (lender_ != nullptr) lender_->GiveBack(std::move(buf_));
}

std::vector<Notice> SegmentReader::TakeNotices() {
  std::vector<Notice> out;
  out.swap(notices_);
  return out;
}

void SegmentReader::AddNotice(uint64_t offset, std::string message) {
  notices_.push_back(Notice{offset, std::move(message)});
}

Status SegmentReader::Fill(size_t n) {
  while (available() < n && !eof_) {
    // Without a lender the unread bytes also move down once half the buffer is read, so
    // that reads stay chunk-sized; a lender's buffer is used to its end instead.
    if (end_ == capacity() || (lender_ == nullptr && begin_ > 0 && begin_ >= capacity() / 2)) MakeRoom();
    const size_t want = std::min(options_.chunk_bytes, capacity() - end_);
    Result<size_t> got = source_.Read(buf_.data() + end_, want);
    if (!got.ok()) {
      // The input cannot be trusted past this point: the error is reported once and the
      // next call ends the input (a source that keeps failing must not loop forever).
      source_failed_ = true;
      return got.error();
    }
    if (*got == 0) {
      eof_ = true;
    }
    end_ += *got;
  }
  return Status::Ok();
}

void SegmentReader::MakeRoom() {
  // Unread bytes that fill the buffer are a long segment: it gets twice the room.
  const size_t size = (available() == capacity() ? capacity() * 2 : capacity()) + kSegmentPadding;
  if (lender_ != nullptr) {
    // Bytes handed out stay where they are: the unread ones move to another buffer.
    lender_->Replace(&buf_, begin_, end_, size);
  } else {
    if (begin_ > 0) std::memmove(buf_.data(), buf_.data() + begin_, available());
    if (size > buf_.size()) buf_.resize(size);
  }
  base_offset_ += begin_;
  end_ -= begin_;
  begin_ = 0;
}

ReadStatus SegmentReader::Fail(Error e) {
  error_ = std::move(e);
  return ReadStatus::kError;
}

ReadStatus SegmentReader::Next() {
  starts_interchange_ = false;
  unterminated_ = false;
  if (source_failed_) return ReadStatus::kEnd;
  return inside_ ? ReadInside() : ReadOutside();
}

ReadStatus SegmentReader::ReadOutside() {
  for (;;) {
    Status st = Fill(kIsaWindow);
    if (!st.ok()) return Fail(st.error());
    if (resync_) {
      // Look for the next "ISA" followed by a non-alphanumeric separator.
      const char* p = buf_.data() + begin_;
      size_t n = available();
      size_t found = std::string::npos;
      for (size_t i = 0; i + 3 < n; ++i) {
        if (p[i] == 'I' && p[i + 1] == 'S' && p[i + 2] == 'A' && !IsAlnum(p[i + 3]) &&
            (i == 0 || !IsAlnum(p[i - 1]))) {
          found = i;
          break;
        }
      }
      if (found == std::string::npos) {
        if (eof_) {
          begin_ = end_;
          return ReadStatus::kEnd;
        }
        begin_ += n > 3 ? n - 3 : 0;
        continue;
      }
      begin_ += found;
      resync_ = false;
      continue;
    }
    // Skip a BOM at the very start, whitespace and NUL padding.
    if (offset_of(begin_) == 0 && available() >= 3 &&
        std::memcmp(buf_.data() + begin_, "\xEF\xBB\xBF", 3) == 0) {
      begin_ += 3;
      AddNotice(0, "UTF-8 byte order mark before the ISA ignored");
    }
    while (begin_ < end_ && (IsBlank(buf_[begin_]) || buf_[begin_] == '\0')) ++begin_;
    if (begin_ == end_) {
      if (eof_) return ReadStatus::kEnd;
      continue;
    }
    st = Fill(kIsaWindow);
    if (!st.ok()) return Fail(st.error());
    const char* p = buf_.data() + begin_;
    const size_t n = available();
    const uint64_t at = offset_of(begin_);
    if (n < 3 || (std::memcmp(p, "ISA", 3) != 0 && !SplitIsaTag(p, n, layout_.wrapped))) {
      Error e = FileError(saw_isa_ ? "unexpected data after IEA: '" + Printable(std::string_view(p, n), 24) + "'"
                                   : "not X12: no ISA segment; the input starts with '" +
                                         Printable(std::string_view(p, n), 24) + "'",
                          at);
      if (saw_isa_) {
        e.layer = Layer::kInterchange;
        e.ta1_code = "022";
      }
      resync_ = true;
      ++begin_;
      return Fail(std::move(e));
    }
    Result<IsaLayout> layout = DetectIsa(std::string_view(p, std::min(n, kIsaWindow)));
    if (!layout.ok()) {
      Error e = layout.error();
      e.offset += at;
      resync_ = true;
      begin_ += 3;
      return Fail(std::move(e));
    }
    // Wrapping is a property of the file: a later ISA may hold no line break, and its
    // interchange may be too short to show the fixed line width on its own.
    const bool file_wrapped = saw_isa_ && layout_.wrapped;
    layout_ = std::move(layout.value());
    if (file_wrapped && !layout_.wrapped && !layout_.delimiters.terminator_is_line_break()) {
      layout_.wrapped = true;
      layout_.notices.push_back("the file is wrapped at a fixed column: line breaks are removed");
    }
    delimiters_ = layout_.delimiters;
    for (std::string& m : layout_.notices) AddNotice(at, m);
    char* s = buf_.data() + begin_;
    char* q = s + layout_.segment_bytes;
    if (layout_.wrapped) RemoveLineBreaks(s, &q);
    segment_.Assign(std::string_view(s, static_cast<size_t>(q - s)), at, &delimiters_, /*padded=*/true);
    begin_ += layout_.consumed;
    inside_ = true;
    saw_isa_ = true;
    starts_interchange_ = true;
    line_break_notice_ = false;
    return ReadStatus::kSegment;
  }
}

ReadStatus SegmentReader::ReadInside() {
  const std::string& term = delimiters_.terminator;
  // Skip the terminator suffix: line breaks and indentation before the next tag.
  for (;;) {
    while (begin_ < end_ && IsSkippable(buf_[begin_])) ++begin_;
    if (begin_ < end_) break;
    Status st = Fill(1);
    if (!st.ok()) return Fail(st.error());
    if (available() == 0) {
      inside_ = false;
      return ReadStatus::kEnd;
    }
  }
  if (available() < 4 && !eof_) {
    Status st = Fill(4);
    if (!st.ok()) return Fail(st.error());
  }
  {
    const char* p = buf_.data() + begin_;
    if (available() >= 4 && std::memcmp(p, "ISA", 3) == 0 && !IsAlnum(p[3])) {
      // A new interchange without the previous IEA: the validator reports the missing IEA.
      inside_ = false;
      return ReadOutside();
    }
  }
  // Find the terminator, reading more as needed.
  size_t scan = begin_;
  size_t term_end = 0;      // just past the terminator found at `scan`
  bool line_break = false;  // a CR or LF in [begin_, scan)
  for (;;) {
    const char* hit = FindTerminator(buf_.data() + scan, buf_.data() + end_, term[0], &line_break);
    if (hit != nullptr) {
      size_t pos = static_cast<size_t>(hit - buf_.data());
      if (term.size() == 1) {
        scan = pos;
        term_end = pos + 1;
        break;
      }
      // A multi-byte terminator ("…" in UTF-8): the bytes from `pos` must spell it. In a
      // file wrapped at a fixed column the line break may fall between its bytes.
      size_t j = pos, k = 0;
      while (k < term.size() && j < end_) {
        if (k > 0 && layout_.wrapped && IsLineBreak(buf_[j])) {
          ++j;
        } else if (buf_[j] == term[k]) {
          ++j;
          ++k;
        } else {
          break;
        }
      }
      if (k == term.size()) {
        scan = pos;
        term_end = j;
        break;
      }
      if (j == end_ && !eof_) {  // cut off by the end of the bytes read so far
        const size_t rel = pos - begin_;
        Status st = Fill(available() + term.size() + 2);
        if (!st.ok()) return Fail(st.error());
        scan = begin_ + rel;
        continue;
      }
      scan = pos + 1;
      continue;
    }
    if (eof_) {
      scan = end_;
      unterminated_ = true;
      break;
    }
    if (end_ - begin_ > options_.max_segment_bytes) {
      scan = end_;
      break;  // too long: reported below
    }
    size_t rel = scan - begin_;
    const size_t scanned = end_ - begin_;
    // More bytes: a chunk more, or with a lender any more (asking for a whole chunk near the
    // end of its buffer would copy the bytes read so far into the next buffer).
    Status st = Fill(scanned + (lender_ != nullptr ? 1 : options_.chunk_bytes));
    if (!st.ok()) return Fail(st.error());
    scan = begin_ + std::max(rel, scanned);
  }
  if (scan - begin_ > options_.max_segment_bytes) {
    // Too long whether or not its terminator is already buffered, so the verdict (and the
    // resync point) does not depend on the chunk size.
    Error e = FileError("segment at offset " + std::to_string(offset_of(begin_)) +
                            " is longer than " + std::to_string(options_.max_segment_bytes) +
                            " bytes",
                        offset_of(begin_));
    e.layer = Layer::kInterchange;
    e.ta1_code = "024";
    inside_ = false;
    resync_ = true;
    unterminated_ = false;
    begin_ += options_.max_segment_bytes;
    return Fail(std::move(e));
  }
  char* s = buf_.data() + begin_;
  char* q = buf_.data() + scan;
  const uint64_t at = offset_of(begin_);
  begin_ = unterminated_ ? end_ : term_end;
  if (!delimiters_.terminator_is_line_break()) {
    if (line_break) RemoveLineBreaks(s, &q);
  } else if (q > s && q[-1] == '\r') {
    --q;  // CRLF when LF is the terminator
  }
  segment_.Assign(std::string_view(s, static_cast<size_t>(q - s)), at, &delimiters_, /*padded=*/true);
  if (segment_.tag() == "IEA") inside_ = false;
  return ReadStatus::kSegment;
}

void SegmentReader::RemoveLineBreaks(char* p, char** q) {
  const char sep = delimiters_.element;
  char* w = p;
  bool removed = false;
  for (char* r = p; r < *q;) {
    if (!IsLineBreak(*r)) {
      *w++ = *r++;
      continue;
    }
    char* run_end = r;
    while (run_end < *q && IsLineBreak(*run_end)) ++run_end;
    // On an element boundary (after a separator, before one, or at the segment's end) a line
    // break carries no data; inside element data it would, so it stays for the validator.
    const bool boundary = layout_.wrapped || w == p || w[-1] == sep || run_end == *q ||
                          *run_end == sep;
    if (boundary) {
      removed = true;
      r = run_end;
    } else {
      while (r < run_end) *w++ = *r++;
    }
  }
  *q = w;
  if (removed && !layout_.wrapped && !line_break_notice_) {
    line_break_notice_ = true;
    AddNotice(offset_of(static_cast<size_t>(p - buf_.data())),
              "line break inside a segment (at an element boundary) removed");
  }
}

}  // namespace edi
