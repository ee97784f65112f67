/* config.h: settings from the config table and the user's config file.
 *
 * Lookup order: the database's config table (`crm config set`), then
 * $XDG_CONFIG_HOME/crm/config or ~/.config/crm/config ("key = value"
 * lines, # comments). Changes to the table are audited. */
#ifndef CRM_CONFIG_H
#define CRM_CONFIG_H

#include "core/crm.h"

/* A setting crm reads, as the core and each module declare them
 * (module.h): what `crm help config` lists and `crm config set` accepts. */
struct config_key {
	const char *key;    /* "pool.claim_limit"; one ending in '.' ("team.") names a
			     * family of keys the user makes */
	const char *dflt;   /* the default as text, or NULL: unset means off */
	const char *help;   /* one line */
	/* what config set takes (0: value is one; NULL: any text), and the
	 * words for it in the refusal ("a whole number of days") */
	int (*check)(const char *value);
	const char *expects;
};

/* Checks for a config_key: 0 when value is one. */
int config_is_count(const char *value);   /* a whole number, 0 or more */
int config_is_int(const char *value);     /* a whole number */
int config_is_bool(const char *value);    /* true|false, yes|no, on|off, 1|0 */
int config_is_amount(const char *value);  /* an amount of money (1000, 1,000.50, 50万) */

/* The settings the core reads itself (currency, db.busy_timeout,
 * user.name) and the families users own (x., import.map.). */
extern const struct config_key config_core_keys[];

/* The declaration of key: the core's or a module's, a family's ("team."
 * for team.sales) when no key matches exactly, or NULL. */
const struct config_key *config_key_find(const char *key);
/* The i-th declared key (0..), the core's then each module's in order,
 * each name once; NULL past the end. */
const struct config_key *config_key_at(int i);
/* The settings crm reads, one per line with its default, for `crm help
 * config` and its man page. Newly allocated. */
char *config_keys_help(void);
/* The nearest declared key to an unknown one (for "did you mean"), or NULL. */
const char *config_key_nearest(const char *key);

/* Newly allocated value of key, or NULL. Works without a database (file only). */
char *config_get(struct crm *c, const char *key);
/* The config file's value of key alone (not the database's), newly
 * allocated, or NULL: what is read before a database is chosen (db.url). */
char *config_file_get(struct crm *c, const char *key);
/* The value as an integer, or def when unset or not a number. */
long long config_get_int(struct crm *c, const char *key, long long def);
/* The value of key and where it comes from: *source is "database", the
 * config file's path, or "default" (the declared default, key unset);
 * NULL when unset without a default. Newly allocated (both). */
char *config_get_source(struct crm *c, const char *key, char **source);
/* Set/unset in the database (audited). set refuses a key nobody declared
 * (CRM_USAGE, naming the nearest) unless it is in a users' family (x.,
 * team., import.map.). unset: CRM_NOTFOUND if not set. */
int config_set(struct crm *c, const char *key, const char *value);
int config_unset(struct crm *c, const char *key);
/* Print every setting as {"type":"config","key","value","source"}:
 * database settings, then file settings the database does not override;
 * all: then every declared key left unset, with its default (source
 * "default"; no value when it has none). */
int config_list(struct crm *c, bool all);
/* Forget the config file read (at the end of a command). */
void config_release(struct crm *c);
/* The config file path in use (may not exist), newly allocated. */
char *config_file_path(void);
/* Whether key is a valid name: lower case ASCII letters, digits, '.', '_',
 * '-' and non-ASCII text (team.华东), not starting or ending in a dot. */
int config_key_valid(const char *key);

#endif
