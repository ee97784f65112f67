/* backup.c: crm backup [FILE] */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/cmd.h"
#include "core/db.h"
#include "io/out.h"

/* "<db without .db>-backup-YYYYmmdd-HHMMSS.db", next to the database. */
static char *default_name(const char *db)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	size_t n = strlen(db);
	if (n > 3 && !strcmp(db + n - 3, ".db"))
		n -= 3;
	return xasprintf("%.*s-backup-%s.db", (int)n, db, stamp);
}

static int backup_exec(struct crm *c, struct args *a)
{
	char *path = a->argc ? xstrdup(a->argv[0]) : default_name(c->db_path);
	int rc = db_backup_to(c, path);
	if (!rc) {
		struct stat sb;
		out_begin(c->out);
		out_str(c->out, "type", "backup");
		out_str(c->out, "path", path);
		if (stat(path, &sb) == 0)
			out_int(c->out, "bytes", (long long)sb.st_size);
		out_end(c->out);
	}
	free(path);
	return rc;
}

static const struct cmd_verb backup_verbs[] = {
	{ "", "[FILE]", "copy the database to FILE (default: next to it, with a timestamp)",
	  NULL, DB_READ, 0, 1, backup_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.summary = "copy the database safely while it is in use",
	.verbs = backup_verbs,
	.description = "Uses SQLite's online backup, so other commands may go on writing. An\n"
		       "existing FILE is not overwritten, nor a symbolic link written through\n"
		       "(exit 4). The copy is made under a temporary name beside FILE and put in\n"
		       "place when whole; it is readable by you alone (0600).",
};
