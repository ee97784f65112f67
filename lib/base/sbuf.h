/* sbuf.h: a growable string. */
#ifndef CRM_BASE_SBUF_H
#define CRM_BASE_SBUF_H

#include <stddef.h>
#include <string.h>

/* A growable string. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_add(struct sbuf *b, const char *s);
void sbuf_grow(struct sbuf *b, size_t more);
/* Inline: the hot path of printing a million records. */
static inline void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		sbuf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}
static inline void sbuf_addc(struct sbuf *b, char ch)
{
	if (b->len + 2 > b->cap)
		sbuf_grow(b, 1);
	b->s[b->len++] = ch;
	b->s[b->len] = 0;
}
void sbuf_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as HTML text or an attribute's value (& < > " ' escaped); NULL adds nothing. */
void sbuf_add_html(struct sbuf *b, const char *s);
/* v in decimal, without printf (the hot paths: listing, bulk writes). */
void sbuf_add_int(struct sbuf *b, long long v);
/* s between two q, each q in it doubled: an SQL string literal with ',
 * an FTS5 phrase with "; NULL adds q q. */
void sbuf_add_quoted(struct sbuf *b, const char *s, char q);
void sbuf_reset(struct sbuf *b);
void sbuf_release(struct sbuf *b);
/* Hand the string to the caller (who frees it); b is empty again. */
char *sbuf_detach(struct sbuf *b);

#endif
