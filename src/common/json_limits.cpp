#include "common/json_limits.h"

#include "text/utf8.h"  // header-only: decode and encode, shared with the text layer

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace unspin {

std::size_t json_nesting_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const char c = *p++;
    if (c == '"') {  // skip the string: an escape takes the next byte with it
      while (p < end && *p != '"') p += (*p == '\\') ? 2 : 1;
      ++p;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return limit + 1;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::size_t json_value_depth(const nlohmann::json& value, std::size_t limit) {
  std::size_t deepest = 0;
  std::vector<std::pair<const nlohmann::json*, std::size_t>> stack{{&value, 0}};
  while (!stack.empty()) {
    const auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    const std::size_t inner = depth + 1;
    if (inner > deepest) {
      deepest = inner;
      if (deepest > limit) return limit + 1;
    }
    for (const nlohmann::json& child : *v) stack.emplace_back(&child, inner);
  }
  return deepest;
}

namespace {

bool json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at p (p + 4 <= end), or -1.
long hex4(const char* p) {
  long v = 0;
  for (int i = 0; i < 4; ++i) {
    const int d = hex_digit(p[i]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// Well-formed UTF-8 (Unicode's table 3-7: no overlong forms, surrogates or
// code points past U+10FFFF), as nlohmann's lexer requires in strings.
bool well_formed_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  while (p < end) {
    const text::Decoded d = text::decode_utf8(p, end);
    if (!d.valid) return false;
    p += d.len;
  }
  return true;
}

// A JSON string starting after its opening quote at p: its value into `out`,
// p past the closing quote; false for anything the fast path leaves to
// nlohmann (a control character, a bad escape or surrogate, invalid UTF-8).
bool scan_string(const char*& p, const char* end, std::string& out) {
  out.clear();
  const char* run = p;
  bool high = false;  // a byte >= 0x80 in the string: its UTF-8 is checked
  while (p < end) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c < 0x20) {
      out.append(run, static_cast<std::size_t>(p - run));
      if (c == '"') {
        ++p;
        return !high || well_formed_utf8(out);
      }
      if (c < 0x20 || p + 1 >= end) return false;
      const char e = p[1];
      p += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (end - p < 4) return false;
          long cp = hex4(p);
          if (cp < 0) return false;
          p += 4;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end - p < 6 || p[0] != '\\' || p[1] != 'u') return false;
            const long low = hex4(p + 2);
            if (low < 0xDC00 || low > 0xDFFF) return false;
            p += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          text::append_utf8(out, static_cast<char32_t>(cp));
          break;
        }
        default: return false;
      }
      run = p;
      continue;
    }
    high |= c >= 0x80;
    ++p;
  }
  return false;  // no closing quote
}

// The fast path of parse_untrusted_json for what JSON lines and request
// bodies nearly always are: one object whose members are strings, integers of
// up to 18 digits, true, false or null, each key once. Returns the value
// nlohmann::json::parse gives for such a text (strings as it decodes them,
// non-negative integers unsigned, negative ones signed), or nullopt for any
// other text (nested values, fractions, exponents, a byte order mark,
// duplicate keys, anything malformed): the full parser then decides, errors
// and messages included (common/json_limits_test.cpp compares the two).
std::optional<nlohmann::json> parse_flat_object(std::string_view text) {
  const char* p = text.data();
  const char* const end = p + text.size();
  const auto skip = [&] {
    while (p < end && json_space(*p)) ++p;
  };
  skip();
  if (p == end || *p != '{') return std::nullopt;
  ++p;
  nlohmann::json object = nlohmann::json::object();
  auto& members = object.get_ref<nlohmann::json::object_t&>();
  std::string key, value;
  skip();
  if (p < end && *p == '}') {
    ++p;
  } else {
    while (true) {
      skip();
      if (p == end || *p != '"') return std::nullopt;
      ++p;
      if (!scan_string(p, end, key)) return std::nullopt;
      skip();
      if (p == end || *p != ':') return std::nullopt;
      ++p;
      skip();
      if (p == end) return std::nullopt;
      nlohmann::json v;
      if (*p == '"') {
        ++p;
        if (!scan_string(p, end, value)) return std::nullopt;
        v = std::move(value);
        value = std::string();
      } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
        const bool negative = *p == '-';
        const char* digits = negative ? p + 1 : p;
        const char* q = digits;
        while (q < end && *q >= '0' && *q <= '9') ++q;
        const std::size_t n = static_cast<std::size_t>(q - digits);
        // "0", "12", "-3": no leading zeros, no "-0", no fraction or exponent after.
        if (n == 0 || n > 18 || (digits[0] == '0' && (n > 1 || negative))) return std::nullopt;
        if (q < end && (*q == '.' || *q == 'e' || *q == 'E')) return std::nullopt;
        std::uint64_t u = 0;
        for (const char* d = digits; d < q; ++d) u = u * 10 + static_cast<std::uint64_t>(*d - '0');
        if (negative) {
          v = -static_cast<std::int64_t>(u);
        } else {
          v = u;
        }
        p = q;
      } else if (end - p >= 4 && std::string_view(p, 4) == "true") {
        v = true;
        p += 4;
      } else if (end - p >= 5 && std::string_view(p, 5) == "false") {
        v = false;
        p += 5;
      } else if (end - p >= 4 && std::string_view(p, 4) == "null") {
        p += 4;
      } else {
        return std::nullopt;
      }
      if (!members.emplace(std::move(key), std::move(v)).second) return std::nullopt;  // a duplicate key
      key = std::string();
      skip();
      if (p == end) return std::nullopt;
      if (*p == ',') {
        ++p;
        continue;
      }
      if (*p != '}') return std::nullopt;
      ++p;
      break;
    }
  }
  skip();
  if (p != end) return std::nullopt;
  return object;
}

}  // namespace

nlohmann::json parse_untrusted_json(std::string_view text, std::string_view what) {
  // A flat object is nested one level deep: within the limit.
  if (std::optional<nlohmann::json> flat = parse_flat_object(text)) return std::move(*flat);
  if (json_nesting_depth(text, kMaxJsonDepth) > kMaxJsonDepth) {
    throw MalformedJson(std::string(what) + ": nested more than " + std::to_string(kMaxJsonDepth) +
                        " levels deep (the limit of arrays and objects within each other)");
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw MalformedJson(std::string(what) + ": " + e.what());
  }
}

void require_shallow(const nlohmann::json& value, std::string_view name) {
  if (json_value_depth(value, kMaxValueDepth) > kMaxValueDepth) {
    throw MalformedJson("\"" + std::string(name) + "\" is nested more than " + std::to_string(kMaxValueDepth) +
                        " levels deep (the limit for a field that is read or echoed)");
  }
}

}  // namespace unspin
