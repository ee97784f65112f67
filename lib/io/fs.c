/* fs.c: files and folders crm makes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "io/fs.h"

/* mkdir -p of the directory part of path. */
int make_parent_dirs(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;
	if (slash && slash != dir) {
		*slash = 0;
		for (char *p = dir + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = 0;
			if (mkdir(dir, 0700) != 0 && errno != EEXIST)
				rc = -1;
			*p = '/';
		}
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = -1;
	}
	free(dir);
	return rc;
}

int make_private_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	close(fd);
	return 0;
}
