#include "common/json_limits.h"

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

nlohmann::json parse_untrusted_json(std::string_view text, std::string_view what) {
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
