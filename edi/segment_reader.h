// SegmentReader turns bytes into segments, one at a time, interchange after interchange.
// It owns a sliding buffer: memory is bounded by the chunk size plus the longest segment,
// whatever the file size. Each ISA re-detects the delimiters (DetectIsa), so a file may hold
// interchanges with different delimiters. Tolerated and normalised here: a UTF-8 BOM and
// whitespace before the ISA, CR/LF (and indentation) after terminators, newline terminators,
// a line break that falls on an element boundary (a wrapped or pasted file), fixed-column
// wrapping, whitespace or NULs after the last IEA. Everything else is left to the validator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "edi/byte_source.h"
#include "edi/delimiters.h"
#include "edi/error.h"
#include "edi/segment.h"

namespace edi {

struct ReaderOptions {
  size_t chunk_bytes = 256 * 1024;       // bytes requested from the source per read
  size_t max_segment_bytes = 1 << 20;    // a longer segment is an error, not a memory spike
};

enum class ReadStatus { kSegment, kEnd, kError };

struct Notice {
  uint64_t offset = 0;
  std::string message;
};

// Supplies a SegmentReader's buffers when its segments must stay readable after the reader
// moves on (ReadAhead hands them to another thread). With a lender the reader never moves or
// overwrites bytes it has handed out: where it would compact or grow its buffer in place, it
// asks for another one instead. Called on the reader's thread only.
class BufferLender {
 public:
  virtual ~BufferLender() = default;
  // Makes *buffer (empty at the start, else the reader's current buffer) a buffer of at least
  // `size` bytes that starts with the old one's bytes [from, to). The reader writes no more
  // into the old buffer; the lender may hand it out again once nothing reads it.
  virtual void Replace(std::vector<char>* buffer, size_t from, size_t to, size_t size) = 0;
  // The reader is done with `buffer` (it writes no more into it).
  virtual void GiveBack(std::vector<char> buffer) = 0;
};

class SegmentReader {
 public:
  explicit SegmentReader(ByteSource& source, ReaderOptions options = {});
  // `lender` (not owned, outlives the reader) supplies the buffers, see BufferLender.
  SegmentReader(ByteSource& source, ReaderOptions options, BufferLender* lender);
  ~SegmentReader();
  SegmentReader(const SegmentReader&) = delete;
  SegmentReader& operator=(const SegmentReader&) = delete;

  // Advances to the next segment. kSegment: segment() holds it until the next call.
  // kError: error() says what was wrong (a file-level or ISA problem); the next call resumes
  // at the next "ISA", or ends the input after a read error of the source. kEnd: no more
  // input.
  ReadStatus Next();

  const Segment& segment() const { return segment_; }
  const Error& error() const { return error_; }
  // True when segment() is an ISA (a new interchange; layout() describes it).
  bool starts_interchange() const { return starts_interchange_; }
  // True when segment() ended at end of input without a terminator.
  bool unterminated() const { return unterminated_; }
  const IsaLayout& layout() const { return layout_; }
  // True once any ISA was found; false means the input is not X12.
  bool saw_isa() const { return saw_isa_; }
  // Tolerated deviations since the last call.
  std::vector<Notice> TakeNotices();
  bool has_notices() const { return !notices_.empty(); }
  // With a lender: the bytes of the current buffer before this point are final (the reader
  // writes no more there); those of buffers it gave back are final entirely.
  const char* final_end() const { return buf_.data() + begin_; }

 private:
  // Ensures at least `n` unread bytes are buffered (fewer only at end of input).
  Status Fill(size_t n);
  // Makes room at the end of the buffer: drops the bytes before begin_, and grows the buffer
  // when the unread bytes fill it.
  void MakeRoom();
  size_t available() const { return end_ - begin_; }
  // Bytes the buffer holds data in; the kSegmentPadding bytes past it are never filled, so
  // every segment handed out is padded (Segment::padded()).
  size_t capacity() const { return buf_.size() - kSegmentPadding; }
  uint64_t offset_of(size_t pos) const { return base_offset_ + pos; }
  ReadStatus ReadOutside();
  ReadStatus ReadInside();
  ReadStatus Fail(Error e);
  // Removes CR/LF from [p, *q): all of them when wrapped, else those on element boundaries.
  void RemoveLineBreaks(char* p, char** q);
  void AddNotice(uint64_t offset, std::string message);

  ByteSource& source_;
  ReaderOptions options_;
  BufferLender* lender_ = nullptr;
  std::vector<char> buf_;
  size_t begin_ = 0;  // first unread byte
  size_t end_ = 0;    // end of buffered bytes
  uint64_t base_offset_ = 0;  // input offset of buf_[0]
  bool eof_ = false;
  bool source_failed_ = false;  // the source returned an error: nothing more is read

  bool inside_ = false;   // between an ISA and its IEA
  bool resync_ = false;   // after an error: skip to the next "ISA"
  bool saw_isa_ = false;
  bool starts_interchange_ = false;
  bool unterminated_ = false;
  bool line_break_notice_ = false;
  IsaLayout layout_;
  Delimiters delimiters_;
  Segment segment_;
  Error error_;
  std::vector<Notice> notices_;
};

}  // namespace edi
