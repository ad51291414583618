// The baseline that issue 2's validation goal is stated against: "merely splitting the bytes"
// of a file into segments and elements with memchr, reading it as `edigate validate` does
// (read() in 1 MiB chunks, page cache warm), and nothing else. It prints the counts so the
// work cannot be optimized away. bench/validate_ratio.sh times it next to `edigate validate`
// on the same file, so the ratio holds however fast the machine is at that moment.
//
// usage: split_file FILE [SEGMENT_TERMINATOR [ELEMENT_SEPARATOR]]   (default '~' and '*')
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: split_file FILE [TERMINATOR [SEPARATOR]]\n");
    return 2;
  }
  const char terminator = argc > 2 ? argv[2][0] : '~';
  const char separator = argc > 3 ? argv[3][0] : '*';
  const int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    std::perror(argv[1]);
    return 2;
  }
  constexpr size_t kChunk = 1 << 20;
  std::vector<char> buf(2 * kChunk);
  size_t kept = 0;  // bytes of an unfinished segment carried to the front of buf
  unsigned long long segments = 0, elements = 0;
  for (;;) {
    if (buf.size() - kept < kChunk) buf.resize(kept + kChunk);
    const ssize_t n = read(fd, buf.data() + kept, kChunk);
    if (n < 0) {
      std::perror(argv[1]);
      return 2;
    }
    const bool last = n == 0;
    const char* p = buf.data();
    const char* const end = buf.data() + kept + static_cast<size_t>(n);
    while (p < end) {
      while (p < end && (*p == '\n' || *p == '\r')) ++p;
      if (p == end) break;
      const char* t = static_cast<const char*>(std::memchr(p, terminator, static_cast<size_t>(end - p)));
      if (t == nullptr) {
        if (!last) break;  // the rest of this segment comes with the next read
        t = end;
      }
      ++segments;
      for (const char* q = p;;) {
        const char* s = static_cast<const char*>(std::memchr(q, separator, static_cast<size_t>(t - q)));
        ++elements;
        if (s == nullptr) break;
        q = s + 1;
      }
      p = t < end ? t + 1 : end;
    }
    kept = static_cast<size_t>(end - p);
    std::memmove(buf.data(), p, kept);
    if (last) break;
  }
  close(fd);
  std::printf("%llu segments, %llu elements\n", segments, elements);
  return 0;
}
