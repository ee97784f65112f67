/* fs.h: files and folders crm makes. */
#ifndef CRM_IO_FS_H
#define CRM_IO_FS_H

/* mkdir -p of the directory part of path (mode 0700): 0, or -1. */
int make_parent_dirs(const char *path);

#endif
