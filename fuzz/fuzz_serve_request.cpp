// Fuzz target for the service's request parsers (src/serve/request.h). The
// first byte picks what the rest of the input feeds:
//   0 a form body (application/x-www-form-urlencoded) -> LanguageTool
//     parameters; with `data`, the annotation's offset map must be
//     non-decreasing and inside the document
//   1 LanguageTool's `data` JSON directly, same checks
//   2 a /v1 JSON body -> NativeRequest: a parsed request has valid text,
//     and its id and url can be echoed (copied and dumped)
//   3 a query string -> /v1/batch options
//   4 bytes -> %-encoded -> decoded: the round trip gives the bytes back
// RequestError is the expected answer to bad input; anything else aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "serve/request.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void check_offsets(const unspin::serve::AnnotatedText& a) {
  unspin::report::OffsetMapper map(a.checked_text(), unspin::report::OffsetUnit::kUtf16);
  const std::uint32_t units = map.at(static_cast<std::uint32_t>(a.checked_text().size()));
  std::uint32_t last_start = 0, last_end = 0;
  for (std::uint32_t u = 0; u <= units && u < 4096; ++u) {
    const std::uint32_t start = a.document_offset(u, false), end = a.document_offset(u, true);
    check(start >= last_start && end >= last_end);
    last_start = start;
    last_end = end;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace unspin::serve;
  try {
    switch (data[0] % 5) {
      case 0: {
        const LanguageToolRequest r = parse_languagetool_request(parse_urlencoded(input));
        check(is_supported_language(r.language));
        if (r.annotation) {
          check(r.text == r.annotation->checked_text());
          check_offsets(*r.annotation);
        }
        break;
      }
      case 1: check_offsets(parse_annotation(input)); break;
      case 2: {
        const NativeRequest r = parse_native_request(input, 1 << 16);
        check(!r.text.empty() && r.text.size() <= (1u << 16));
        check(!r.options.threshold || (*r.options.threshold >= 0 && *r.options.threshold <= 1));
        // What the service does with it: echo id and url in the dumped
        // answer (a 100,000-deep id overflowed the stack there, outside
        // the parser, so the parser alone could not show it).
        nlohmann::json out{{"id", r.id}, {"url", r.url}};
        check(!out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).empty());
        break;
      }
      case 3: parse_batch_options(parse_urlencoded(input)); break;
      case 4: {
        static const char kHex[] = "0123456789ABCDEF";
        std::string encoded = "k=";
        for (unsigned char c : input) {
          encoded += '%';
          encoded += kHex[c >> 4];
          encoded += kHex[c & 15];
        }
        const Params p = parse_urlencoded(encoded);
        check(p.size() == 1 && p[0].second == input);
        break;
      }
    }
  } catch (const RequestError& e) {
    check(e.status() >= 400 && e.status() < 600 && !e.code().empty());
  }
  return 0;
}
