#include "gateway/mapping/path.h"

#include <cctype>

#include "edi/schema.h"

namespace gateway::mapping {

namespace {

bool IsTagChar(char c) { return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}

  Result<X12Path> Run() {
    X12Path p;
    p.text = std::string(t_);
    if (Eat('/')) p.absolute = true;
    while (true) {
      PathStep step;
      if (t_.substr(i_, 3) == "**/") {
        step.descendant = true;
        i_ += 3;
      }
      step.tag = Tag();
      if (step.tag.empty()) return Fail("expected a segment tag");
      step.key = edi::detail::TagKey(step.tag);
      if (Eat('[')) {
        while (true) {
          auto c = Condition(step.tag);
          if (!c.ok()) return c.status();
          step.conditions.push_back(std::move(*c));
          if (Eat(']')) break;
          if (!Eat(',')) return Fail("expected ',' or ']' in a condition");
        }
      }
      p.steps.push_back(std::move(step));
      if (Eat('/')) continue;
      if (Eat('-')) {
        p.element = Number(2);
        if (p.element <= 0) return Fail("expected an element position (01-99) after '-'");
        if (Eat('-')) {
          p.component = Number(2);
          if (p.component <= 0) return Fail("expected a component position after the element");
        }
      }
      break;
    }
    if (i_ != t_.size()) return Fail("unexpected '" + std::string(1, t_[i_]) + "'");
    return p;
  }

 private:
  bool Eat(char c) {
    if (i_ < t_.size() && t_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  std::string Tag() {
    size_t s = i_;
    while (i_ < t_.size() && IsTagChar(t_[i_]) && i_ - s < 3) ++i_;
    return std::string(t_.substr(s, i_ - s));
  }
  int Number(size_t max_digits) {
    size_t s = i_;
    int v = 0;
    while (i_ < t_.size() && IsDigit(t_[i_]) && i_ - s < max_digits) v = v * 10 + (t_[i_++] - '0');
    return i_ == s ? -1 : v;
  }
  // "N101=ST", "N1-01=ST", "QTY-03-1=EA", "W1201!=IS", "REF01=BM|CN".
  Result<PathCondition> Condition(const std::string& tag) {
    PathCondition c;
    size_t s = i_;
    while (i_ < t_.size() && IsTagChar(t_[i_])) ++i_;
    std::string ref(t_.substr(s, i_ - s));
    if (ref.size() > tag.size() && ref.compare(0, tag.size(), tag) == 0 &&
        ref.size() - tag.size() == 2 && IsDigit(ref[tag.size()]) && IsDigit(ref[tag.size() + 1])) {
      c.element = std::stoi(ref.substr(tag.size()));
    } else if (ref == tag && Eat('-')) {
      c.element = Number(2);
    } else {
      return Fail("a condition on " + tag + " names its element as " + tag + "01 or " + tag + "-01");
    }
    if (c.element <= 0) return Fail("bad element position in a condition");
    if (Eat('-')) {
      c.component = Number(2);
      if (c.component <= 0) return Fail("bad component position in a condition");
    }
    if (Eat('!')) c.negate = true;
    if (!Eat('=')) return Fail("expected '=' or '!=' in a condition");
    std::string v;
    while (i_ < t_.size() && t_[i_] != ']' && t_[i_] != ',') {
      if (t_[i_] == '|') {
        c.values.push_back(v);
        v.clear();
      } else {
        v += t_[i_];
      }
      ++i_;
    }
    c.values.push_back(v);
    return c;
  }
  Status Fail(const std::string& what) {
    return Status(Code::kInvalidArgument,
                  "path '" + std::string(t_) + "': " + what + " at character " + std::to_string(i_ + 1));
  }

  std::string_view t_;
  size_t i_ = 0;
};

}  // namespace

Result<X12Path> ParseX12Path(std::string_view text) { return Parser(text).Run(); }

}  // namespace gateway::mapping
