/* text.h: UTF-8 text helpers: display width (CJK is two columns),
 * trimming, full-width folding, validation. */
#ifndef CRM_TEXT_H
#define CRM_TEXT_H

#include <stddef.h>

/* Decode one UTF-8 sequence at s (n bytes available). Sets *cp and
 * returns its length, or returns -1 for an invalid sequence. */
int utf8_decode(const char *s, size_t n, unsigned *cp);
/* Encode cp into out (4 bytes room); returns the length. */
int utf8_encode(unsigned cp, char *out);
/* 1 when s[0..n) is valid UTF-8; else 0 and *bad = offset of first bad byte. */
int utf8_valid(const char *s, size_t n, size_t *bad);

/* Terminal columns of one code point (0, 1 or 2) and of a string. */
int cp_width(unsigned cp);
int utf8_width(const char *s);

/* Copy s into out (size n) cut to at most maxw columns; when cut, the
 * last column is "…". Returns the width written. */
int utf8_truncate(const char *s, int maxw, char *out, size_t n);

/* New string: s without leading/trailing ASCII space and U+3000. */
char *text_trim(const char *s);

/* New string: full-width ASCII variants (U+FF01..U+FF5E) folded to ASCII,
 * U+3000 to a space, and "。" to "." (for phones and emails). */
char *text_fold_fullwidth(const char *s);

/* "a" or "an" before an English word (a lead, an account). */
const char *text_article(const char *word);

/* Edit distance (insertions, deletions, substitutions, transpositions of
 * neighbours) in bytes; INT_MAX for words over 64 bytes. For "did you
 * mean". */
int text_distance(const char *a, const char *b);

#endif
