/* fuzz.h: what the libFuzzer targets share (make fuzz). Each target is
 * tests/fuzz/fuzz_NAME.c with a seed corpus in tests/fuzz/NAME/. */
#ifndef CRM_FUZZ_H
#define CRM_FUZZ_H


#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The input as a NUL-terminated string (a copy: the input is not). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

/* The input as a file descriptor at offset 0 (in memory). */
static inline int fuzz_fd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		abort();
	size_t off = 0;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);
		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

#endif
