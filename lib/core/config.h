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
};

/* The settings the core itself reads (the modules declare theirs),
 * ending with { NULL }. */
extern const struct config_key config_core_keys[];

/* Newly allocated value of key, or NULL. Works without a database (file only). */
char *config_get(struct crm *c, const char *key);
/* The value as an integer, or def when unset or not a number. */
long long config_get_int(struct crm *c, const char *key, long long def);
/* Set/unset in the database (audited). unset: CRM_NOTFOUND if not set. */
int config_set(struct crm *c, const char *key, const char *value);
int config_unset(struct crm *c, const char *key);
/* Print every setting as {"type":"config","key","value","source"}:
 * database settings, then file settings the database does not override. */
int config_list(struct crm *c);
/* Forget the config file read (at the end of a command). */
void config_release(struct crm *c);
/* The config file path in use (may not exist), newly allocated. */
char *config_file_path(void);
/* Whether key is a valid name: [a-z0-9_.-]+, not starting or ending in a dot. */
int config_key_valid(const char *key);

#endif
