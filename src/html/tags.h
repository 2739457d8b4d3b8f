// What a page's tags mean for its visible text (gumbo's tag ids): shared by
// `--html` (html.cpp) and the harness's reading of HTML documentation.
#pragma once

#include <gumbo.h>

namespace unspin::html {

// Never shown: the head, scripts, styles, embedded objects, form controls.
bool hidden_tag(GumboTag tag);
// Starts a new block of text (a paragraph break before and after).
bool block_tag(GumboTag tag);

}  // namespace unspin::html
