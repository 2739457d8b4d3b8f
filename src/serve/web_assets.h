// The web page's static files (web/), embedded in the binary at build time
// by cmake/embed_files.cmake, so `unspin serve` needs no files, no CDN and
// works offline.
#pragma once

#include <string_view>

namespace unspin::serve {

struct WebAsset {
  std::string_view path;  // URL path, e.g. "/app.js"; "/" is index.html
  std::string_view content_type;
  std::string_view body;
};

// The asset served at `path`, or nullptr.
const WebAsset* find_web_asset(std::string_view path);

}  // namespace unspin::serve
