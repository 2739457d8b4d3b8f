// The listed tortured phrases in a decoded document: the decoder's call into
// src/listed. Listed hits become edits with rule UNSPIN_LISTED (they replace
// the decoder's edits they overlap), the restored text is rebuilt, and the
// review spans and DocumentResult::listed are filled (docs/SCHEMA.md §3, §3b).
#pragma once

#include <string_view>

#include "listed/matcher.h"
#include "listed/unlisted.h"
#include "unspin/restore.h"

namespace unspin::decode {

// The confidence of a listed edit: the share of listed corrections the
// harness measures right (bench/RESULTS.md, "Tortured phrases").
inline constexpr double kListedConfidence = 0.97;

// `result` is the decoder's result for `text` (edits, restored, review).
// `unlisted` (may be null): its suspects that overlap no edit become review
// spans (reason "candidate", the proposed term as original) at or above
// `review_threshold`; they are not applied (see listed_edits.cpp).
void add_listed(std::string_view text, const listed::Matcher* matcher, const listed::UnlistedFinder* unlisted,
                double review_threshold, double min_confidence, DocumentResult* result);

// Applied edits missing from result->review become review spans (reason
// "edit", or "listed" for UNSPIN_LISTED); review stays in input order.
void add_edit_review_spans(DocumentResult* result);

// `correction` (folded) cased to fit the written span: all capitals, every
// word capitalised (title case), or the first capitalised.
std::string case_like(std::string_view written, std::string_view correction);

}  // namespace unspin::decode
