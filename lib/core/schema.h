/* schema.h: the compiled-in schema migrations (share/schema/NNN-*.sql). */
#ifndef CRM_SCHEMA_H
#define CRM_SCHEMA_H

struct migration {
	int version;       /* the version this migration produces */
	const char *name;  /* file name without .sql */
	const char *sql;
};

/* Ordered by version, ending with { 0, NULL, NULL }. */
extern const struct migration schema_migrations[];

#endif
