// ReadAhead hands out a SegmentReader's results (segments, errors, notices, in the same
// order) while a second thread reads ahead: it runs the reader (I/O, terminator search,
// line-break repair) and the half of the element checks that needs no set context
// (CleanCheck against the dictionary of the current group's version) on batches of
// segments. The caller's thread keeps envelopes, set structure and reporting, so a large
// file is validated on two cores. Segments are not copied: the reading thread lends the
// reader its buffers (BufferLender) and a batch's items point into them; a buffer is read
// into again only once no batch points into it. Memory stays bounded: at most kBatches
// batches of about kBatchBytes each and the reader buffers they point into, whatever the
// file size. Without a thread it is the reader itself.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "edi/byte_source.h"
#include "edi/schema.h"
#include "edi/segment_reader.h"

namespace edi {

class ReadAhead : private BufferLender {
 public:
  // `threaded` false: no thread, every call goes straight to a SegmentReader.
  ReadAhead(ByteSource& source, const ReaderOptions& options, const SchemaRegistry& schemas, bool threaded);
  ~ReadAhead();  // stops the reading thread (it may be blocked on a full queue) and joins it
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // As SegmentReader::Next() and its accessors (inline: they run for every segment).
  ReadStatus Next() {
    if (!threaded_) return reader_->Next();
    if (ended_) return ReadStatus::kEnd;
    if (batch_ == nullptr || ++index_ >= batch_->items.size()) Advance();
    item_ = &batch_->items[index_];
    const Item& it = *item_;
    if (it.status == ReadStatus::kSegment) {
      segment_.Assign(std::string_view(it.data, it.size), it.tag_size, it.offset,
                      &batch_->delimiters[it.error_or_delimiters], it.padded);
      if (it.starts_interchange) saw_isa_ = true;
    } else if (it.status == ReadStatus::kEnd) {
      ended_ = true;
    }
    return it.status;
  }
  const Segment& segment() const { return threaded_ ? segment_ : reader_->segment(); }
  const Error& error() const { return threaded_ ? batch_->errors[item_->error_or_delimiters] : reader_->error(); }
  bool starts_interchange() const { return threaded_ ? item_->starts_interchange : reader_->starts_interchange(); }
  bool unterminated() const { return threaded_ ? item_->unterminated : reader_->unterminated(); }
  bool saw_isa() const { return threaded_ ? saw_isa_ : reader_->saw_isa(); }
  bool has_notices() const {
    if (!threaded_) return reader_->has_notices();
    return !pending_.empty() || (item_ != nullptr && notices_taken_ < item_->notices_end);
  }
  std::vector<Notice> TakeNotices();
  // The dictionary definition under which segment() was proved clean on the reading thread
  // (CleanCheck), or null when it was not tried or not proved.
  const SegmentDef* proved_clean() const { return item_ != nullptr ? item_->proved_clean : nullptr; }

  static constexpr size_t kBatchBytes = 256 * 1024;
  static constexpr size_t kBatchItems = 8192;
  static constexpr size_t kBatches = 4;

 private:
  // One of the reader's buffers. `lent` and `batches` are guarded by mu_.
  struct Chunk {
    std::vector<char> bytes;  // empty while lent to the reader, which holds the vector
    bool lent = false;        // the reader's current buffer: it may still write into it
    uint32_t batches = 0;     // batches with items in it (published or being filled)
    const char* begin = nullptr;  // the bytes, for the reading thread
    const char* end = nullptr;
  };
  struct Item {  // 48 bytes: the validating thread reads one per segment from the other core
    const char* data = nullptr;  // the segment's bytes, in a Chunk
    uint64_t offset = 0;
    const SegmentDef* proved_clean = nullptr;
    uint32_t size = 0;
    uint32_t tag_size = 0;
    uint32_t notices_end = 0;  // Batch::notices up to here were raised by this or earlier items
    uint32_t error_or_delimiters = 0;  // into Batch::errors (kError), else Batch::delimiters
    ReadStatus status = ReadStatus::kEnd;
    bool starts_interchange = false;
    bool unterminated = false;
    // kSegmentPadding bytes after the segment are readable and final; false only for the
    // last few segments of a batch, whose padding the reader may still be writing.
    bool padded = true;
  };
  struct Batch {
    std::vector<Item> items;
    size_t bytes = 0;  // of the segments in items
    std::vector<Chunk*> chunks;  // the chunks items point into, each counted in Chunk::batches
    std::vector<Delimiters> delimiters;  // complete before anyone points into it
    uint32_t current_delimiters = 0;     // the last one pushed
    std::vector<Error> errors;
    std::vector<Notice> notices;
    bool last = false;  // ends with kEnd
    void Clear();
  };
  // BufferLender, on the reading thread.
  void Replace(std::vector<char>* buffer, size_t from, size_t to, size_t size) override;
  void GiveBack(std::vector<char> buffer) override;
  // Reading thread: `b` points into the reader's current buffer from now on (the first
  // time in this buffer).
  void Hold(Batch& b);
  // Marks the items of `b` whose padding the reader may still write (see Item::padded).
  void MarkUnsettled(Batch& b, const SegmentReader& reader) const;
  void Produce();
  // Worker side: the next empty batch (null when stopping); hands a filled one over.
  std::unique_ptr<Batch> TakeEmpty();
  size_t Publish(std::unique_ptr<Batch> b);  // returns the filled batches now queued
  // Caller side: recycles the current batch and waits for the next filled one.
  void Advance();

  bool threaded_;
  ByteSource& source_;
  ReaderOptions options_;
  const SchemaRegistry& schemas_;
  std::unique_ptr<SegmentReader> reader_;  // unthreaded mode

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Chunk>> chunks_;  // every buffer made; the vector is the reading thread's
  std::vector<Chunk*> free_chunks_;  // neither lent nor pointed into; guarded by mu_
  Chunk* lent_ = nullptr;             // the reader's current buffer; the reading thread's
  std::deque<std::unique_ptr<Batch>> filled_;  // guarded by mu_
  std::vector<std::unique_ptr<Batch>> empty_;  // guarded by mu_
  bool stop_ = false;                          // guarded by mu_
  std::thread worker_;

  // Caller side.
  std::unique_ptr<Batch> batch_;
  size_t index_ = 0;
  const Item* item_ = nullptr;  // batch_->items[index_] once Next() was called
  uint32_t notices_taken_ = 0;  // in batch_->notices
  std::vector<Notice> pending_;  // not taken before the batch they came in was recycled
  Segment segment_;
  bool saw_isa_ = false;
  bool ended_ = false;
};

}  // namespace edi
