/* fs.h: files and folders crm makes. */
#ifndef CRM_IO_FS_H
#define CRM_IO_FS_H

/* mkdir -p of the directory part of path (mode 0700): 0, or -1. */
int make_parent_dirs(const char *path);

/* Create path as an empty file only its owner may read and write (0600)
 * unless it exists: a database and its backups hold everyone's records,
 * and SQLite gives its -wal and -shm files the database's mode. 0, or -1. */
int make_private_file(const char *path);

#endif
