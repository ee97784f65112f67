/* phone.h: normalising the contact fields people type five ways. */
#ifndef CRM_PHONE_H
#define CRM_PHONE_H

#include <stddef.h>

#define PHONE_BUFSZ 32
#define EMAIL_BUFSZ 256

/* Mainland mobiles become 11 digits ("+86 138-1234-5678", "0086 138 1234
 * 5678", "(86)13812345678", full-width digits, all -> "13812345678").
 * Mainland landlines keep their area code with a dash ("010-12345678").
 * Other international numbers become "+CC..." digits only. Returns 0, or -1
 * when the text is not a plausible phone number (buf then holds nothing). */
int phone_normalize(const char *in, char *buf, size_t n);

/* Trim, fold full-width characters (＠ ． digits letters), lower-case and
 * check shape (local@domain.tld, no spaces). Returns 0 or -1. */
int email_normalize(const char *in, char *buf, size_t n);

#endif
