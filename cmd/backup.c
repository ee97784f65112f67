/* backup.c: crm backup [FILE] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/cmd.h"
#include "core/db.h"
#include "core/dialect.h"
#include "io/out.h"
#include "server/server.h"

/* "<db without .db>-backup-YYYYmmdd-HHMMSS-mmm.db" next to the database
 * (milliseconds, then "-2", "-3", ... should that name be taken): a
 * second backup in the same second is a second file, never the first one
 * overwritten. A server's: db is "crm" (crm-backup-... here). */
static char *default_name(const char *db, int n)
{
	char stamp[32];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	size_t len = strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(stamp + len, sizeof(stamp) - len, "-%03ld", ts.tv_nsec / 1000000);
	size_t dl = strlen(db);
	if (dl > 3 && !strcmp(db + dl - 3, ".db"))
		dl -= 3;
	if (n > 1)
		return xasprintf("%.*s-backup-%s-%d.db", (int)dl, db, stamp, n);
	return xasprintf("%.*s-backup-%s.db", (int)dl, db, stamp);
}

static int backup_exec(struct crm *c, struct args *a)
{
	/* a server's is a database file too, copied as crm migrate does */
	bool server = dialect_server(c);
	const char *db = server ? "crm" : c->db_path;
	int (*to)(struct crm *, const char *) = server ? server_backup : db_backup_to;
	char *path = a->argc ? xstrdup(a->argv[0]) : default_name(db, 1);
	int rc = to(c, path);
	for (int n = 2; !a->argc && rc == CRM_CONFLICT && n < 1000; n++) {
		free(path);
		c->errmsg[0] = 0;
		path = default_name(db, n);
		rc = to(c, path);
	}
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
	  NULL, DB_READ, 0, 1, backup_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.summary = "copy the database safely while it is in use",
	.verbs = backup_verbs,
	.description = "Uses SQLite's online backup, so other commands may go on writing. An\n"
		       "existing FILE is not overwritten, nor a symbolic link written through\n"
		       "(exit 4). The default name is DB-backup-YYYYmmdd-HHMMSS-mmm.db beside the\n"
		       "database (to the millisecond, with -2, -3, ... added if that name is\n"
		       "taken), so every backup is a new file. The copy is made under a temporary\n"
		       "name beside FILE and put in place when whole; it is readable by you alone\n"
		       "(0600).\n"
		       "On a server (an admin's: exit 5 for other roles) the backup is a database\n"
		       "file too, every table copied in one snapshot as crm migrate --from URL\n"
		       "--to FILE copies them; crm --db FILE reads it, crm migrate takes it to a\n"
		       "new server. Its default name is crm-backup-YYYYmmdd-HHMMSS-mmm.db in the\n"
		       "current folder.",
};
