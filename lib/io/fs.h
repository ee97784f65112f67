/* fs.h: files and folders crm makes. */
#ifndef CRM_IO_FS_H
#define CRM_IO_FS_H

/* mkdir -p of the directory part of path (mode 0700): 0, or -1. */
int make_parent_dirs(const char *path);

/* Create path as an empty file only its owner may read and write (0600)
 * unless it exists: a database and its backups hold everyone's records,
 * and SQLite gives its -wal and -shm files the database's mode. 0, or -1. */
int make_private_file(const char *path);
/* Files crm makes are the user's alone (0600, folders 0700), whatever
 * the umask: fs_private_umask() at start (umask 077); a program crm runs
 * (a hook, crm-COMMAND) gets the user's own back with fs_user_umask(). */
void fs_private_umask(void);
void fs_user_umask(void);

/* A new file beside path ("path.tmp-XXXXXX": the same folder, so a
 * rename is atomic), created O_EXCL with mode 0600; its name in *tmp
 * (newly allocated). The descriptor, or -1 (errno set). */
int fs_temp_beside(const char *path, char **tmp);

/* Put the finished tmp in path's place. replace: rename over what is
 * there (a symlink at path is replaced, never written through); else
 * fail with EEXIST when path exists, a symlink included (link(), which
 * follows no symlink). tmp is removed either way. 0, or -1 (errno). */
int fs_commit(const char *tmp, const char *path, int replace);

#endif
