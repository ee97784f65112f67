/* open.h: finding, opening, creating and migrating the database. */
#ifndef CRM_CORE_OPEN_H
#define CRM_CORE_OPEN_H

#include "core/crm.h"

/* The database path: opt (--db), $CRM_DB, $XDG_DATA_HOME/crm/crm.db,
 * ~/.local/share/crm/crm.db. Newly allocated. */
char *db_resolve_path(const char *opt);

/* Open c->db_path into c->db, creating it (schema and default data, with a
 * notice on stderr) or migrating it forward (after a backup copy) as
 * needed. Sets WAL, foreign keys and the busy timeout. */
int db_open(struct crm *c);
/* Create a new database at c->db_path; CRM_CONFLICT if one exists. */
int db_create(struct crm *c);

/* The schema version this binary writes. */
int db_schema_version(void);

#endif
