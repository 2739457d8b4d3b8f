#include "text/char_class.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "text/utf8.h"

namespace unspin::text {
namespace {

// Letters of scripts written without spaces between words (and CJK, which the
// contract files under kOther): a run of them is one kOther token, since
// nothing downstream models those languages.
bool is_unspaced_script_letter(char32_t c) {
  if (c < 0x0E00) return false;  // fast exit: Latin, Greek, Cyrillic, Arabic, Indic, ...
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(static_cast<UChar32>(c), &status)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
    case USCRIPT_BOPOMOFO:
    case USCRIPT_YI:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
    case USCRIPT_TIBETAN: return true;
    default: return false;
  }
}

}  // namespace

CharClass classify_non_ascii(char32_t c) {
  if (is_space_cp(c)) return CharClass::kGap;
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER: return is_unspaced_script_letter(c) ? CharClass::kOther : CharClass::kLetter;
    case U_DECIMAL_DIGIT_NUMBER: return CharClass::kDigit;
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_FORMAT_CHAR: return CharClass::kExtend;
    case U_CONNECTOR_PUNCTUATION:
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL: return CharClass::kPunct;
    case U_CONTROL_CHAR:
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR: return CharClass::kGap;
    default:  // So, Sk, No, Nl, Co, Cn, Cs
      return CharClass::kOther;
  }
}

bool is_upper_cp(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return u_isupper(static_cast<UChar32>(c)) || u_istitle(static_cast<UChar32>(c));
}

bool is_lower_cp(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  return u_islower(static_cast<UChar32>(c));
}

char32_t to_upper_cp(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 0x20 : c;
  return static_cast<char32_t>(u_toupper(static_cast<UChar32>(c)));
}

char32_t to_lower_cp(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
  return static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
}

}  // namespace unspin::text
