/* server.h: the team server (CLI.md 8.5), its first part: a PostgreSQL
 * database made a crm server (schema, roles, row-level security), its
 * users and their login roles, and crm migrate between a file and a
 * server. Commands themselves run on a server through core's backend
 * (core/backend_pg.c), opened by core/open.c as the login role: the
 * verbs marked VERB_SERVER so far (the five of lead, account, contact,
 * deal and product; stage, pipeline, report funnel, forecast and cycle,
 * tag, note, task, every cash verb (quote, approval, approve, contract,
 * order, plan, payment, invoice, report receivables, revenue and
 * products), export, config, team list and show, history, log, sql);
 * the others exit 2.
 *
 * lib/server is the top layer: it takes every layer's tables (by
 * introspection of a database crm's own migrations made) and the team
 * layer's visibility rule (team/scope.h). The files: pg (the libpq
 * connection and errors), schema (the tables), copy (rows both ways),
 * policy (roles, grants, policies), check (crm check there); server.c
 * init, user add, migrate and backup. */
#ifndef CRM_SERVER_SERVER_H
#define CRM_SERVER_SERVER_H

#include "core/crm.h"
#include "core/module.h"

extern const struct module server_module;

/* crm server init URL: an empty database becomes a crm server, in one
 * transaction (CRM_CONFLICT when it has crm's tables already). */
int server_init(struct crm *c, const char *url);

struct server_user {
	const char *name, *role, *team, *manager, *label;
	const char *password;   /* NULL: none (peer or trust authentication) */
};

/* crm server user add: the user's row and its login role. */
int server_user_add(struct crm *c, const char *url, const struct server_user *u);

/* crm migrate --from A --to B: one a database file, the other a server
 * URL; every table copied, the counts printed and checked. */
int server_migrate(struct crm *c, const char *from, const char *to);

/* crm backup on a server (c's): every table copied into a new database
 * file at path, as crm migrate --from URL --to path does, made beside it
 * and put in place when whole; CRM_CONFLICT when something is at path,
 * CRM_PERM when the connected role is no admin. c's connection is closed
 * after. */
int server_backup(struct crm *c, const char *path);

#endif
