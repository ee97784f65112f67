/* fs.c: files and folders crm makes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
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

static mode_t user_umask = 022;
static int umask_set;

void fs_private_umask(void)
{
	mode_t old = umask(077);
	if (!umask_set)
		user_umask = old;
	umask_set = 1;
}

void fs_user_umask(void)
{
	if (umask_set)
		umask(user_umask);
}

int fs_temp_beside(const char *path, char **tmp)
{
	*tmp = xasprintf("%s.tmp-XXXXXX", path);
	int fd = mkostemp(*tmp, O_CLOEXEC);   /* O_EXCL, 0600 */
	if (fd < 0) {
		int e = errno;
		free(*tmp);
		*tmp = NULL;
		errno = e;
		return -1;
	}
	fchmod(fd, 0600);
	return fd;
}

int fs_commit(const char *tmp, const char *path, int replace)
{
	int rc, e = 0;
	if (replace) {
		rc = rename(tmp, path);
	} else {
		rc = link(tmp, path);
		/* a file system without hard links: no-replace by a check */
		if (rc != 0 && (errno == EPERM || errno == ENOTSUP || errno == EXDEV)) {
			struct stat st;
			if (lstat(path, &st) == 0) {
				errno = EEXIST;
				rc = -1;
			} else {
				rc = rename(tmp, path);
			}
		}
	}
	if (rc != 0)
		e = errno;
	unlink(tmp);
	errno = e;
	return rc;
}
