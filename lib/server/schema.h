/* schema.h: crm's tables as a SQLite database has them, read by
 * introspection (PRAGMA table_list, table_info, index_list), and the
 * same tables in PostgreSQL's words.
 *
 * Every ordinary table is taken; left out are sqlite_* tables and the
 * full-text index (FTS5 virtual tables and their shadow tables: the
 * server searches with pg_trgm). Of each table: its columns with their
 * type (by SQLite's affinity rules: INTEGER to bigint, REAL to double
 * precision, NUMERIC to numeric, TEXT to text, BLOB to bytea), NOT NULL,
 * literal defaults and the primary key (an INTEGER PRIMARY KEY becomes a
 * bigint identity); its unique constraints and its plain indexes. Not
 * taken: CHECK and FOREIGN KEY constraints, partial and expression
 * indexes, indexes with a collation, triggers (the write path keeps
 * those rules; the derived tables the triggers keep are copied as rows). */
#ifndef CRM_SERVER_SCHEMA_H
#define CRM_SERVER_SCHEMA_H

#include <stdbool.h>
#include "io/pq.h"
#include <sqlite3.h>

#include "core/crm.h"

enum col_kind { COL_INT, COL_REAL, COL_NUM, COL_TEXT, COL_BLOB };

struct scol {
	char *name;
	enum col_kind kind;
	bool notnull;
	char *dflt;        /* a literal default as SQLite has it, or NULL */
	int pk;            /* position in the primary key (1..), 0: not in it */
};

struct sindex {
	char *name;        /* NULL: a UNIQUE constraint of the table */
	bool unique;
	char **cols;
	int ncols;
};

struct stable {
	char *name;
	struct scol *cols;
	int ncols;
	struct sindex *idx;
	int nidx;
	bool rowid;        /* a rowid table (rows copied in rowid order) */
	bool identity;     /* its key is an INTEGER PRIMARY KEY: an identity on the server */
};

struct schema {
	struct stable *t;
	int n;
};

/* Read the tables of db. CRM_OK, or the error recorded. */
int schema_read(struct crm *c, sqlite3 *db, struct schema *s);
void schema_release(struct schema *s);
void stable_release(struct stable *t);

const struct stable *schema_table(const struct schema *s, const char *name);
const struct scol *stable_col(const struct stable *t, const char *name);
/* The name of t's identity column (its INTEGER PRIMARY KEY), or NULL. */
const char *stable_identity(const struct stable *t);

/* The kind of a column SQLite declared decl (its affinity rules). */
enum col_kind col_kind_of_sqlite(const char *decl);
/* The text of a whole SQL string literal ('it''s' -> it's), or NULL
 * when q is not one. Newly allocated. */
char *sql_unquote(const char *q);

/* The PostgreSQL type of a column kind. */
const char *col_pg_type(enum col_kind k);
/* The SQLite type of a column kind (INTEGER, REAL, ...). */
const char *col_sqlite_type(enum col_kind k);
/* The kind of a PostgreSQL type name (format_type's), COL_TEXT when unknown. */
enum col_kind col_kind_of_pg(const char *type);

/* CREATE TABLE and its indexes for the server, into b. */
void stable_pg_ddl(PGconn *conn, const struct stable *t, struct sbuf *b);
/* The SQL functions crm's statements call that a file has from crm itself
 * (core/sqlfn.c, core/mask.c), made on the server the same: crm_now(),
 * days_since(), crm_mask(). Into b. */
void schema_pg_functions(struct sbuf *b);

/* Read a table's columns as the server has them (name, kind), into t
 * (name set by the caller; no indexes). CRM_NOTFOUND when it has none. */
int schema_read_pg(struct crm *c, PGconn *conn, struct stable *t);

#endif
