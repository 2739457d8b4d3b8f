// Sentence boundaries over a token list (internal; called by tokenize()).
#pragma once

#include "unspin/text.h"

namespace unspin::text {

// Sets Token::sentence_start. A sentence starts at the first token, after a
// paragraph break (two or more line breaks, or U+2029, in the gap before a
// token), and after a run of terminators (. ! ? … ‼ ⁉ 。) plus adjacent closing
// quotes/brackets that is followed by whitespace, except:
//  - '.' right after an abbreviation that rarely ends a sentence: titles
//    ("Mr.", "Dr.", "Gen."), single-letter initials ("J."), months ("Jan."),
//    "vs.", "cf.", "approx.", "No." before a number;
//  - when the next word (past opening quotes/brackets) starts lowercase;
//  - an ellipsis ("…", "...") ends a sentence only before an uppercase word.
// Dotted acronyms ("U.S.", "e.g.", "p.m.") are word tokens and never end a
// sentence by themselves (a known miss: "... in the U.S. Then ...").
void mark_sentences(TokenizedText& text);

}  // namespace unspin::text
