/* open.h: finding, opening, creating and migrating the database. */
#ifndef CRM_CORE_OPEN_H
#define CRM_CORE_OPEN_H

#include <stdbool.h>
#include "core/crm.h"

/* The database path: opt (--db), $CRM_DB, $XDG_DATA_HOME/crm/crm.db,
 * ~/.local/share/crm/crm.db. Newly allocated. */
char *db_resolve_path(const char *opt);

/* The same, with config db.url (the config file's) before the default
 * places: --db, $CRM_DB, db.url, then as db_resolve_path. */
char *db_resolve(struct crm *c, const char *opt);

/* Whether path names a PostgreSQL server (postgresql://, postgres://). */
bool db_is_url(const char *path);

/* s (a word of a command line: a URL, --db=URL) with the password of any
 * server URL in it (postgresql://bob:PW@host, ?password=PW) as ***, for
 * what is written down (the audit log's command); newly allocated. */
char *db_url_redact(const char *s);

/* Open c->db_path into c->db, creating it (schema and default data, with a
 * notice on stderr) or migrating it forward (after a backup copy) as
 * needed. Sets WAL, foreign keys and the busy timeout.
 * A server (db_is_url) is connected to as c->conn (c->db stays NULL),
 * acting as the connected login role (c->db_role, SET ROLE) so that its
 * row-level security decides what is seen; never migrated: its schema
 * is crm server init's, of this crm's version (else exit 6). */
int db_open(struct crm *c);
/* Create a new database at c->db_path; CRM_CONFLICT if one exists (a
 * server: exit 2, crm server init makes one). */
int db_create(struct crm *c);

/* The schema version this binary writes. */
int db_schema_version(void);

/* A database in memory of its own with crm's migrations run in it: the
 * schema as this crm makes it (what crm server init made a server from),
 * to read what a server has no word for. The caller closes *db. */
int db_schema_memory(struct crm *c, sqlite3 **db);

/* The foreign keys of crm's schema, each a child table's column, the
 * table it refers to (by its id) and its ON DELETE action (CASCADE, SET
 * NULL, NO ACTION), in the order of the tables and of their keys (id:
 * the key's number in its table, as SQLite's foreign_key_check has it).
 * Read from db_schema_memory() once a command; NULL on error (recorded
 * in c). */
struct db_fkey {
	char *table, *column, *parent, *on_delete;
	int id;
};
struct db_fkeys {
	struct db_fkey *k;
	int n;
};
const struct db_fkeys *db_foreign_keys(struct crm *c);

#endif
