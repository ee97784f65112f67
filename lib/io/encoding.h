/* encoding.h: a file (or stdin, or a pipe) in any encoding Chinese
 * spreadsheets come in, read as a stream of UTF-8 chunks.
 *
 * Encodings: "auto" (or NULL), "utf-8", "gbk", "gb18030", "gb2312",
 * "utf-16", "utf-16le", "utf-16be", "latin1" (case and '-'/'_' do not
 * matter; "utf8", "cp936", "iso-8859-1" are accepted too). "gbk" and
 * "gb2312" are decoded as GB18030, their superset.
 *
 * "auto": a UTF-8 BOM means UTF-8 (the BOM is dropped); a UTF-16 BOM means
 * UTF-16LE/BE; no BOM but mostly-NUL ASCII means UTF-16 without BOM;
 * otherwise the first 64 KiB that hold non-ASCII bytes decide: valid UTF-8
 * means UTF-8, else GB18030. (Until the first non-ASCII byte the text is
 * both, so a long ASCII head does not force a guess.)
 *
 * A byte sequence that is invalid in the encoding, and a NUL character,
 * stop the reader with an error naming the 1-based physical line (LF, CRLF
 * and lone CR each end a line) and the 1-based column in characters. No
 * seeking: detection buffers the first chunk, so pipes work. */
#ifndef CRM_ENCODING_H
#define CRM_ENCODING_H

#include <stddef.h>

typedef struct enc_reader enc_reader;

/* Open path ("-" is stdin). On failure returns NULL with a message in err
 * (errsz bytes; err may be NULL). */
enc_reader *enc_open(const char *path, const char *encoding, char *err, size_t errsz);
/* The same over an open descriptor, which enc_close() leaves open. */
enc_reader *enc_open_fd(int fd, const char *encoding, char *err, size_t errsz);

/* The next chunk of UTF-8 text, valid until the next call; chunks end on
 * character boundaries. Returns 1 with *data and *len set, 0 at the end, or -1
 * on an error (enc_error(); every later call returns -1 too). The text
 * before an invalid sequence is returned first, then the error (or, with
 * enc_tolerate(), 2 and the replacement). */
int enc_read(enc_reader *r, const char **data, size_t *len);

/* From now on an invalid sequence (in UTF-8 text, said or detected, or
 * in GB18030) does not stop the reader: enc_read() returns 2 with U+FFFD
 * in its place and enc_error() saying what and where it was (line,
 * column). A NUL, or text that is invalid more often than not (not in
 * that encoding at all: for UTF-8 the window ahead is judged at the
 * first bad byte), still stops it. */
void enc_tolerate(enc_reader *r);

/* The last error message ("" when none). */
const char *enc_error(const enc_reader *r);
/* The encoding in use: "utf-8", "gb18030", "utf-16le", "utf-16be",
 * "latin1". Until "auto" sees a non-ASCII byte it says "utf-8". */
const char *enc_name(const enc_reader *r);

/* Closes the file (when enc_open() opened it) and frees r; NULL is fine. */
void enc_close(enc_reader *r);

/* 1 when name is an encoding name accepted above (NULL and "auto" too). */
int enc_known(const char *name);

#endif
