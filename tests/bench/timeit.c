/* timeit.c: run a command and report its wall time and peak memory.
 *
 *   timeit -o FILE [-n N] [--null] [--each LIST] -- PROGRAM [ARG ...]
 *
 * Runs PROGRAM N times (default 1), or once per line of LIST with "{}" in
 * the arguments replaced by the line, and appends one line per run to FILE:
 * "WALL_SECONDS PEAK_RSS_KB EXIT_STATUS". Wall time is taken with the
 * monotonic clock around fork..wait; peak RSS is the largest resident set
 * of the process and the descendants it waited for (wait4's ru_maxrss), so
 * a shell pipeline reports its biggest member. --null sends the command's
 * stdout to /dev/null. A signal death is reported as 128+signal. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void free_argv(char **v)
{
	for (int i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* s with every "{}" replaced by item. */
static char *replace_all(const char *s, const char *item)
{
	size_t n = 0, ilen = strlen(item);
	for (const char *p = s; (p = strstr(p, "{}")); p += 2)
		n++;
	char *r = malloc(strlen(s) + n * ilen + 1), *w = r;
	if (!r)
		return NULL;
	for (const char *p = s; *p;) {
		if (p[0] == '{' && p[1] == '}') {
			memcpy(w, item, ilen);
			w += ilen;
			p += 2;
		} else {
			*w++ = *p++;
		}
	}
	*w = 0;
	return r;
}

/* A copy of argv with "{}" replaced by item (NULL: plain copy). */
static char **substitute(char **argv, int argc, const char *item)
{
	char **v = calloc((size_t)argc + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (int i = 0; i < argc; i++) {
		v[i] = item ? replace_all(argv[i], item) : strdup(argv[i]);
		if (!v[i]) {
			free_argv(v);
			return NULL;
		}
	}
	return v;
}

/* One run: fork, exec, wait; write the result line. */
static int run_once(char **argv, int devnull, FILE *out)
{
	struct rusage ru;
	int status;
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "timeit: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (devnull >= 0)
			dup2(devnull, STDOUT_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "timeit: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "timeit: wait: %s\n", strerror(errno));
			return -1;
		}
	}
	double wall = now() - t0;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(out, "%.6f %ld %d\n", wall, ru.ru_maxrss, code);
	fflush(out);
	return 0;
}

static void usage(void)
{
	fputs("usage: timeit -o FILE [-n N] [--null] [--each LIST] -- PROGRAM [ARG ...]\n",
	      stderr);
}

int main(int argc, char **argv)
{
	const char *outname = NULL, *each = NULL;
	long runs = 1;
	int nul = 0, i, rc = 0;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			outname = argv[++i];
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			char *end;
			runs = strtol(argv[++i], &end, 10);
			if (*end || runs < 1) {
				fprintf(stderr, "timeit: -n: '%s' is not a positive number\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--each") && i + 1 < argc) {
			each = argv[++i];
		} else if (!strcmp(argv[i], "--null")) {
			nul = 1;
		} else {
			usage();
			return 2;
		}
	}
	if (!outname || i + 1 >= argc) {
		usage();
		return 2;
	}
	char **cmd = argv + i + 1;
	int ncmd = argc - i - 1;

	FILE *out = fopen(outname, "a");
	if (!out) {
		fprintf(stderr, "timeit: cannot write '%s': %s\n", outname, strerror(errno));
		return 1;
	}
	int devnull = nul ? open("/dev/null", O_WRONLY) : -1;
	if (each) {
		FILE *list = fopen(each, "r");
		char line[4096];
		if (!list) {
			fprintf(stderr, "timeit: cannot read '%s': %s\n", each, strerror(errno));
			fclose(out);
			return 1;
		}
		while (rc == 0 && fgets(line, sizeof(line), list)) {
			line[strcspn(line, "\r\n")] = 0;
			char **v = substitute(cmd, ncmd, line);
			rc = v ? run_once(v, devnull, out) : -1;
			free_argv(v);
		}
		fclose(list);
	} else {
		for (long k = 0; rc == 0 && k < runs; k++)
			rc = run_once(cmd, devnull, out);
	}
	if (devnull >= 0)
		close(devnull);
	if (fclose(out) != 0)
		rc = -1;
	return rc == 0 ? 0 : 1;
}
