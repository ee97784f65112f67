/* split.c: shell-like word splitting for crm shell. */
#include <stdbool.h>
#include <stdlib.h>

#include "base/mem.h"
#include "base/sbuf.h"
#include "base/split.h"

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

int split_words(const char *s, char ***argv)
{
	int n = 0, cap = 8;
	char **v = xcalloc(cap, sizeof(char *));
	while (*s) {
		while (is_space(*s))
			s++;
		if (!*s || *s == '#')
			break;
		struct sbuf w = { 0 };
		sbuf_add(&w, "");
		while (*s && !is_space(*s)) {
			if (*s == '\'') {
				const char *e = s + 1;
				while (*e && *e != '\'')
					e++;
				if (!*e)
					goto unterminated;
				sbuf_addn(&w, s + 1, e - s - 1);
				s = e + 1;
			} else if (*s == '"') {
				s++;
				while (*s && *s != '"') {
					if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					sbuf_addc(&w, *s++);
				}
				if (!*s)
					goto unterminated;
				s++;
			} else if (*s == '\\' && s[1]) {
				sbuf_addc(&w, s[1]);
				s += 2;
			} else {
				sbuf_addc(&w, *s++);
			}
			continue;
unterminated:
			sbuf_release(&w);
			v[n] = NULL;
			split_free(v);
			*argv = NULL;
			return -1;
		}
		if (n + 2 > cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(char *));
		}
		v[n++] = sbuf_detach(&w);
	}
	v[n] = NULL;
	*argv = v;
	return n;
}

void split_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}
